import { expect, test } from 'vitest'
import * as langchain from './langchain.js'

test('exports', () => {
  expect(Object.keys(langchain).sort()).toMatchInlineSnapshot(`
    [
      "ChatOpenGradient",
      "toChatMessage",
      "toToolChoice",
    ]
  `)
})
