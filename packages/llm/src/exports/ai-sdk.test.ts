import { expect, test } from 'vitest'
import * as aiSdk from './ai-sdk.js'

test('exports', () => {
  expect(Object.keys(aiSdk).sort()).toMatchInlineSnapshot(`
    [
      "createOpenGradient",
      "createOpenGradientLanguageModel",
    ]
  `)
})
