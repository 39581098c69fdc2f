import { describe, expect, test, vi } from 'vitest'
import { InvalidInputError } from '../errors/input.js'
import type { ModelInputValue } from '../types/tensors.js'
import { encodeModelInput } from './encodeModelInput.js'

vi.mock('../version.js', () => ({ version: 'x.y.z' }))

const pair = (value: bigint, decimals = 0n) => ({ value, decimals })

test('default', () => {
  // The reference conversion example.
  expect(
    encodeModelInput({
      num_input1: [1.0, 2.0, 3.0],
      num_input2: 10,
      str_input1: ['hello', 'ONNX'],
      str_input2: ' world',
      mat: [
        [1, 2],
        [3, 4],
      ],
    }),
  ).toEqual({
    numbers: [
      { name: 'num_input1', values: [pair(1n), pair(2n), pair(3n)], shape: [3] },
      { name: 'num_input2', values: [pair(10n)], shape: [1] },
      { name: 'mat', values: [pair(1n), pair(2n), pair(3n), pair(4n)], shape: [2, 2] },
    ],
    strings: [
      { name: 'str_input1', values: ['hello', 'ONNX'] },
      { name: 'str_input2', values: [' world'] },
    ],
  })
})

describe('args: input forms', () => {
  test('Map keeps its order, integer-like names included', () => {
    const input = new Map<string, ModelInputValue>([
      ['b', 1],
      ['0', 2],
    ])
    expect(encodeModelInput(input).numbers.map(({ name }) => name)).toEqual(['b', '0'])
  })

  test('entries keep their order', () => {
    expect(
      encodeModelInput([
        ['b', 1],
        ['a', 'x'],
        ['0', 2],
      ]),
    ).toEqual({
      numbers: [
        { name: 'b', values: [pair(1n)], shape: [1] },
        { name: '0', values: [pair(2n)], shape: [1] },
      ],
      strings: [{ name: 'a', values: ['x'] }],
    })
  })

  test('plain objects list integer-like names first', () => {
    expect(encodeModelInput({ b: 1, 0: 2 }).numbers.map(({ name }) => name)).toEqual(['0', 'b'])
  })

  test('empty input', () => {
    expect(encodeModelInput({})).toEqual({ numbers: [], strings: [] })
  })

  test('every tensor form', () => {
    const output = encodeModelInput({
      scalar: 2.5,
      big: 2n ** 70n,
      nested: [[0.1], [0.2]],
      float32: new Float32Array([0.1]),
      exact: { type: 'number', values: ['0.123456789012345678'], shape: [1, 1] },
      empty: [],
      words: { type: 'string', values: ['a', 'b'] },
    })
    expect(output.numbers.map(({ name, shape }) => [name, shape])).toEqual([
      ['scalar', [1]],
      ['big', [1]],
      ['nested', [2, 1]],
      ['float32', [1]],
      ['exact', [1, 1]],
      ['empty', [0]],
    ])
    expect(output.numbers[4]?.values).toEqual([pair(123456789012345678n, 18n)])
    expect(output.strings).toEqual([{ name: 'words', values: ['a', 'b'] }])
  })
})

describe('behavior: warnings', () => {
  test('a string tensor of rank 2 is sent flat, with a warning', () => {
    const onWarning = vi.fn()
    const output = encodeModelInput(
      {
        words: [
          ['a', 'b'],
          ['c', 'd'],
        ],
        flat: ['e'],
      },
      { onWarning },
    )
    expect(output.strings).toEqual([
      { name: 'words', values: ['a', 'b', 'c', 'd'] },
      { name: 'flat', values: ['e'] },
    ])
    expect(onWarning.mock.calls).toMatchInlineSnapshot(`
      [
        [
          "The string tensor "words" has shape [2, 2]; the chain keeps no shape for strings, so it is sent as a flat list of length 4.",
        ],
      ]
    `)
  })

  test('without a listener warnings are dropped', () => {
    expect(() => encodeModelInput({ words: [['a'], ['b']] })).not.toThrow()
  })
})

describe('error', () => {
  test('NaN names the tensor and the index', () => {
    expect(() =>
      encodeModelInput({ ok: [1], x: [1, Number.NaN] }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot encode NaN as a fixed-point number.

      Tensor: "x"
      Index: 1
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('ragged arrays', () => {
    expect(() =>
      encodeModelInput({
        x: [
          [1, 2],
          [3, 4, 5],
        ],
      }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Nested arrays must be rectangular: the array at [1] has 3 elements where 2 are expected.

      Tensor: "x"
      Index: [1]
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('mixed strings and numbers', () => {
    expect(() => encodeModelInput({ x: [1, 'a'] as never })).toThrow(InvalidInputError)
  })

  test('booleans, null and objects', () => {
    expect(() => encodeModelInput({ x: true as never })).toThrow(InvalidInputError)
    expect(() => encodeModelInput({ x: null as never })).toThrow(InvalidInputError)
    expect(() => encodeModelInput({ x: { a: 1 } as never })).toThrow(InvalidInputError)
  })

  test('more than 18 decimals', () => {
    expect(() => encodeModelInput({ x: [1e-19] })).toThrow(InvalidInputError)
  })

  test('integers outside int128', () => {
    expect(() => encodeModelInput({ x: [2n ** 127n] })).toThrow(InvalidInputError)
  })

  test('empty name', () => {
    expect(() => encodeModelInput({ '': 1 })).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Tensor names must not be empty.

      Entry: 0
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('repeated name', () => {
    expect(() =>
      encodeModelInput([
        ['x', 1],
        ['y', 'a'],
        ['x', 'b'],
      ]),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The tensor name "x" appears more than once.

      Tensor: "x"
      Entry: 2
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('malformed entries', () => {
    expect(() => encodeModelInput([['x']] as never)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Each model input entry must be a [name, value] pair, not an array.

      Entry: 0
      Version: @opengradient/core@x.y.z]
    `)
    expect(() => encodeModelInput([[1, 2]] as never)).toThrow(InvalidInputError)
  })

  test('not an object', () => {
    expect(() => encodeModelInput(null as never)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The model input must be an object of tensors by name, not null.
      Version: @opengradient/core@x.y.z]
    `)
    expect(() => encodeModelInput('x' as never)).toThrow(InvalidInputError)
    expect(() => encodeModelInput(new Float32Array(2) as never)).toThrow(InvalidInputError)
  })
})
