import { describe, expect, test, vi } from 'vitest'
import { InvalidInputError } from '../errors/input.js'
import { encodeModelInput } from './encodeModelInput.js'
import { parseJsonLosslessly, parseModelInputJson } from './parseModelInputJson.js'

vi.mock('../version.js', () => ({ version: 'x.y.z' }))

test('default', () => {
  expect(parseModelInputJson('{"x": [0.1, 2.5], "id": 12345678901234567890}')).toEqual({
    x: [0.1, 2.5],
    id: { type: 'number', values: ['12345678901234567890'] },
  })
})

describe('behavior: exact numbers', () => {
  test.each([
    // Numbers a float64 reproduces stay numbers.
    ['0.1', 0.1],
    ['-2.5e-3', -0.0025],
    ['1e21', 1e21],
    ['100.0', 100],
    ['-0', -0],
    ['0.30000000000000004', 0.30000000000000004],
    ['9007199254740991', 9007199254740991],
    ['1152921504606847000', 1152921504606847000],
  ])('%s stays a number', (text, expected) => {
    expect(parseModelInputJson(`{"x": ${text}}`).x).toBe(expected)
  })

  test.each([
    ['9007199254740993'],
    // 2^60 exactly: as a number it would be encoded by its shortest decimal, 1152921504606847000.
    ['1152921504606846976'],
    ['0.12345678901234567891'],
    ['1.00000000000000001'],
    ['1e400'],
    ['1e-400'],
    ['4.9e-324'],
  ])('%s is kept as text', (text) => {
    expect(parseModelInputJson(`{"x": ${text}}`).x).toEqual({ type: 'number', values: [text] })
  })

  test('nested arrays with exact numbers become number tensors', () => {
    expect(parseModelInputJson('{"x": [[1, 0.12345678901234567891], [3, 4]]}').x).toEqual({
      type: 'number',
      values: [
        [1, '0.12345678901234567891'],
        [3, 4],
      ],
    })
  })

  test('explicit number tensors keep exact values as text', () => {
    expect(
      parseModelInputJson('{"x": {"type": "number", "values": [9007199254740993], "shape": [1]}}')
        .x,
    ).toEqual({ type: 'number', values: ['9007199254740993'], shape: [1] })
  })

  test('mixed arrays are left for encodeModelInput to reject', () => {
    const input = parseModelInputJson('{"x": ["a", 9007199254740993]}')
    expect(input.x).toEqual(['a', 9007199254740992])
    expect(() => encodeModelInput(input)).toThrow(InvalidInputError)
  })

  test('encodes exactly', () => {
    expect(
      encodeModelInput(parseModelInputJson('{"x": [0.5, 0.123456789012345678], "y": 2e-18}')),
    ).toEqual({
      numbers: [
        {
          name: 'x',
          values: [
            { value: 5n, decimals: 1n },
            { value: 123456789012345678n, decimals: 18n },
          ],
          shape: [2],
        },
        { name: 'y', values: [{ value: 2n, decimals: 18n }], shape: [1] },
      ],
      strings: [],
    })
  })
})

describe('behavior: JSON', () => {
  test('strings and escapes', () => {
    expect(
      parseModelInputJson(
        '{"s": ["a\\"b", "\\\\", "\\/", "\\b\\f\\n\\r\\t", "\\u00e9\\ud83d\\ude00", "é"]}',
      ).s,
    ).toEqual(['a"b', '\\', '/', '\b\f\n\r\t', 'é😀', 'é'])
  })

  test('whitespace, literals and empty containers', () => {
    expect(
      parseModelInputJson(' \n\t{ "a" : [ ] , "b" : { } , "c" : [true, false, null] }\r\n'),
    ).toEqual({ a: [], b: {}, c: [true, false, null] })
  })

  test('a key named __proto__ stays an entry', () => {
    const input = parseModelInputJson('{"__proto__": [1]}')
    expect(Object.keys(input)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype)
  })
})

describe('error', () => {
  test('not an object', () => {
    expect(() => parseModelInputJson('[1, 2]')).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The model input JSON must be an object of tensors by name.

      Details: Got an array.
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('repeated key', () => {
    expect(() => parseModelInputJson('{"x": 1, "x": 2}')).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The model input is not valid JSON: the key "x" appears more than once.

      Position: 9
      Near: "x": 2}
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('syntax', () => {
    expect(() => parseModelInputJson('{"x": [1, 2,]}')).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The model input is not valid JSON: unexpected character.

      Position: 12
      Near: ]}
      Version: @opengradient/core@x.y.z]
    `)
  })

  test.each([
    [''],
    ['{'],
    ['{"x": 1} x'],
    ['{"x": 01}'],
    ['{"x": 1.}'],
    ['{"x": .5}'],
    ['{"x": +1}'],
    ['{"x": 1e}'],
    ['{"x": -}'],
    ['{"x": NaN}'],
    ['{"x": Infinity}'],
    ["{'x': 1}"],
    ['{x: 1}'],
    ['{"x" 1}'],
    ['{"x": "a\nb"}'],
    ['{"x": "\\x"}'],
    ['{"x": "\\u12"}'],
    ['{"x": "abc}'],
    ['{"x": tru}'],
    ['{"x": [1 2]}'],
  ])('invalid JSON: %j', (text) => {
    expect(() => parseModelInputJson(text)).toThrow(InvalidInputError)
  })

  test('nesting too deep', () => {
    expect(() => parseModelInputJson(`{"x": ${'['.repeat(600)}${']'.repeat(600)}}`)).toThrow(
      InvalidInputError,
    )
  })
})

describe('parseJsonLosslessly', () => {
  test('default: keeps numbers a float64 would change as their decimal text', () => {
    expect(
      parseJsonLosslessly('{"value": 3774157376028597354888916016, "decimals": 31, "small": 1.5}'),
    ).toEqual({ value: '3774157376028597354888916016', decimals: 31, small: 1.5 })
  })
})
