import { expect, test } from 'vitest'
import * as llmNode from './node.js'

test('exports', () => {
  expect(Object.keys(llmNode).sort()).toMatchInlineSnapshot(`
    [
      "createPinnedFetch",
      "createTeeConnection",
    ]
  `)
})
