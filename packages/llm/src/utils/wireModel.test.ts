import { describe, expect, test } from 'vitest'
import { providerOf, toWireModel } from './wireModel.js'

describe('toWireModel', () => {
  test('default', () => {
    expect(toWireModel('anthropic/claude-haiku-4-5')).toBe('claude-haiku-4-5')
  })

  test('behavior: splits on the first slash only', () => {
    expect(toWireModel('a/b/c')).toBe('b/c')
    expect(providerOf('a/b/c')).toBe('a')
  })

  test('error: an id without a provider prefix', () => {
    expect(() => toWireModel('gpt-5')).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The model id "gpt-5" has no provider prefix: expected "<provider>/<model>".

      Examples: "anthropic/claude-haiku-4-5", "openai/gpt-5", "devnet/tiny".
      Version: @opengradient/core@0.1.0]
    `)
    expect(() => toWireModel('/x')).toThrow()
    expect(() => toWireModel('x/')).toThrow()
  })
})
