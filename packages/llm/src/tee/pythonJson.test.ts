import { describe, expect, test } from 'vitest'
import { compareCodePoints, JsonFloat, parseJsonExact, pythonJsonDumps } from './pythonJson.js'

describe('pythonJsonDumps', () => {
  test('default', () => {
    expect(pythonJsonDumps({ b: [1, 'x'], a: { c: null, d: true } })).toBe(
      '{"b": [1, "x"], "a": {"c": null, "d": true}}',
    )
  })

  test('args: sortKeys orders by code point, recursively (the reference check)', () => {
    const value = {
      b: 'é\u007f/"\\\n\t\u0001😀',
      a: [1, new JsonFloat(2), true, null],
      A: { z: 1, é: 2, '\ue000': 3, '😀': 4 },
    }
    expect(pythonJsonDumps(value, { sortKeys: true })).toBe(
      '{"A": {"z": 1, "\\u00e9": 2, "\\ue000": 3, "\\ud83d\\ude00": 4}, "a": [1, 2.0, true, null], "b": "\\u00e9\\u007f/\\"\\\\\\n\\t\\u0001\\ud83d\\ude00"}',
    )
  })

  test('behavior: floats print as Python repr', () => {
    const cases: [number, string][] = [
      [0, '0.0'],
      [1, '1.0'],
      [0.7, '0.7'],
      [100, '100.0'],
      [1e15, '1000000000000000.0'],
      [0.0001, '0.0001'],
      [1e-5, '1e-05'],
      [1.5e-7, '1.5e-07'],
      [1e16, '1e+16'],
      [123456789012345680, '1.2345678901234568e+17'],
      [2.5e300, '2.5e+300'],
      [-0, '-0.0'],
      [-2.5, '-2.5'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [Number.NEGATIVE_INFINITY, '-Infinity'],
    ]
    for (const [value, text] of cases)
      expect(pythonJsonDumps(new JsonFloat(value)), text).toBe(text)
  })

  test('behavior: numbers without a float marker', () => {
    expect(pythonJsonDumps([3, 2.5, 1e21, 12345678901234567890n])).toBe(
      '[3, 2.5, 1000000000000000000000, 12345678901234567890]',
    )
  })

  test('behavior: undefined members are left out', () => {
    expect(pythonJsonDumps({ a: undefined, b: 1 })).toBe('{"b": 1}')
  })
})

describe('parseJsonExact', () => {
  test('default', () => {
    const text =
      '{"t": 0.0, "n": 1, "e": 1E2, "big": 123456789012345678901, "s": "\\u00e9", "l": [-0, false]}'
    expect(pythonJsonDumps(parseJsonExact(text))).toBe(
      '{"t": 0.0, "n": 1, "e": 100.0, "big": 123456789012345678901, "s": "\\u00e9", "l": [0, false]}',
    )
  })

  test('behavior: "__proto__" is an ordinary key', () => {
    const value = parseJsonExact('{"__proto__": {"x": 1}}') as Record<string, unknown>
    expect(Object.keys(value)).toEqual(['__proto__'])
    expect(pythonJsonDumps(value)).toBe('{"__proto__": {"x": 1}}')
  })

  test('error: text that is not JSON', () => {
    expect(() => parseJsonExact('{"a": }')).toThrowErrorMatchingInlineSnapshot(
      `[SyntaxError: Unexpected token at position 6 of the JSON text.]`,
    )
    expect(() => parseJsonExact('[1] 2')).toThrow(SyntaxError)
    expect(() => parseJsonExact('"open')).toThrow(SyntaxError)
  })
})

describe('compareCodePoints', () => {
  test('default', () => {
    expect(['😀', '\ue000', 'z', 'é'].sort(compareCodePoints)).toEqual(['z', 'é', '\ue000', '😀'])
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0)
  })
})
