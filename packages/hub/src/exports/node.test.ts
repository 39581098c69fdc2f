import { expect, test } from 'vitest'
import * as hubNode from './node.js'

test('exports', () => {
  expect(Object.keys(hubNode).sort()).toMatchInlineSnapshot(`
    [
      "createModel",
      "uploadFile",
    ]
  `)
})
