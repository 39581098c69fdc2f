import { describe, expect, test, vi } from 'vitest'
import { InvalidInputError } from '../errors/input.js'
import { decodeModelOutput } from './decodeModelOutput.js'

vi.mock('../version.js', () => ({ version: 'x.y.z' }))

const pair = (value: bigint, decimals = 0n) => ({ value, decimals })

test('default', () => {
  // The test model's output, as viem decodes the InferenceResult event.
  expect(
    decodeModelOutput({
      numbers: [
        { name: 'num_output1', values: [pair(11n), pair(12n), pair(13n)], shape: [3] },
        { name: 'num_output2', values: [pair(10n)], shape: [1] },
      ],
      strings: [
        { name: 'str_output1', values: ['hello', 'ONNXY', ' world'] },
        { name: 'str_output2', values: [' world'] },
      ],
      jsons: [],
      is_simulation_result: false,
    }),
  ).toEqual({
    numbers: {
      num_output1: { shape: [3], data: [11, 12, 13], raw: [pair(11n), pair(12n), pair(13n)] },
      num_output2: { shape: [1], data: [10], raw: [pair(10n)] },
    },
    strings: {
      str_output1: { shape: [3], data: ['hello', 'ONNXY', ' world'] },
      str_output2: { shape: [1], data: [' world'] },
    },
    jsons: {},
    isSimulationResult: false,
  })
})

describe('args: sources', () => {
  test('REST JSON with numbers and decimal strings', () => {
    const output = decodeModelOutput(
      JSON.parse(`{
        "numbers": [
          { "name": "Y", "values": [{ "value": "3774157376028597354888916016", "decimals": "31" }], "shape": [1] },
          { "name": "num_output1", "values": [{ "value": 11, "decimals": 0 }], "shape": ["1"] }
        ],
        "strings": [{ "name": "str_output1", "values": ["hello", "ONNXY", " world"] }],
        "jsons": [{ "name": "embedding", "value": "[0.1, 0.2]" }]
      }`),
    )
    expect(output.numbers.Y).toEqual({
      shape: [1],
      data: [0.00037741573760285974],
      raw: [pair(3774157376028597354888916016n, 31n)],
    })
    expect(output.numbers.num_output1?.data).toEqual([11])
    expect(output.strings.str_output1?.data).toEqual(['hello', 'ONNXY', ' world'])
    expect(output.jsons.embedding).toEqual([0.1, 0.2])
    expect(output.isSimulationResult).toBe(false)
  })

  test('positional tuples', () => {
    expect(
      decodeModelOutput([
        [['Y', [[15n, 1n]], [1]]],
        [
          ['two', ['a', 'b']],
          ['three', ['a', 'b', 'c', 'd'], [2, 2]],
        ],
        [['meta', '{"ok":true}']],
        true,
      ]),
    ).toEqual({
      numbers: { Y: { shape: [1], data: [1.5], raw: [pair(15n, 1n)] } },
      strings: {
        two: { shape: [2], data: ['a', 'b'] },
        three: { shape: [2, 2], data: ['a', 'b', 'c', 'd'] },
      },
      jsons: { meta: { ok: true } },
      isSimulationResult: true,
    })
  })

  test('older outputs without jsons or flag', () => {
    expect(decodeModelOutput({ numbers: [], strings: [] })).toEqual({
      numbers: {},
      strings: {},
      jsons: {},
      isSimulationResult: false,
    })
    expect(decodeModelOutput([[], []])).toEqual({
      numbers: {},
      strings: {},
      jsons: {},
      isSimulationResult: false,
    })
  })

  test('string tensors with a shape field', () => {
    expect(
      decodeModelOutput({ strings: [{ name: 's', values: ['a', 'b'], shape: [1, 2] }] }).strings,
    ).toEqual({ s: { shape: [1, 2], data: ['a', 'b'] } })
  })
})

describe('behavior', () => {
  test('the simulation placeholder keeps its flag', () => {
    expect(
      decodeModelOutput({ numbers: [], strings: [], jsons: [], is_simulation_result: true }),
    ).toEqual({ numbers: {}, strings: {}, jsons: {}, isSimulationResult: true })
  })

  test('equal names of different kinds do not overwrite one another', () => {
    const output = decodeModelOutput({
      numbers: [{ name: 'out', values: [pair(1n)], shape: [1] }],
      strings: [{ name: 'out', values: ['a'] }],
      jsons: [{ name: 'out', value: '1' }],
    })
    expect(output.numbers.out?.data).toEqual([1])
    expect(output.strings.out?.data).toEqual(['a'])
    expect(output.jsons.out).toBe(1)
  })

  test('reference workflow cases', () => {
    const decode = (values: [bigint, bigint][], shape: number[]) =>
      decodeModelOutput({ numbers: [{ name: 'y', values, shape }], strings: [] }).numbers.y?.data
    expect(
      decode(
        [
          [1000n, 2n],
          [2000n, 2n],
        ],
        [2],
      ),
    ).toEqual([10, 20])
    expect(decode([[1000000000n, 8n]], [1])).toEqual([10])
    expect(decode([[-1000n, 2n]], [1])).toEqual([-10])
  })

  test('more than 18 decimals and negative decimals', () => {
    const output = decodeModelOutput({
      numbers: [
        {
          name: 'y',
          values: [pair(1000000011686097423080354929n, 34n), pair(5n, -2n)],
          shape: [2],
        },
      ],
    })
    expect(output.numbers.y?.data).toEqual([Math.fround(1e-7), 500])
  })

  test('rank 0 and empty tensors', () => {
    const output = decodeModelOutput({
      numbers: [
        { name: 'scalar', values: [pair(7n)], shape: [] },
        { name: 'empty', values: [], shape: [0, 3] },
      ],
    })
    expect(output.numbers.scalar?.shape).toEqual([])
    expect(output.numbers.empty).toEqual({ shape: [0, 3], data: [], raw: [] })
  })

  test('a tensor named __proto__ stays an entry', () => {
    const output = decodeModelOutput({
      numbers: [{ name: '__proto__', values: [pair(1n)], shape: [1] }],
    })
    expect(Object.keys(output.numbers)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(output.numbers)).toBe(Object.prototype)
  })
})

describe('error', () => {
  test('shape mismatch', () => {
    expect(() =>
      decodeModelOutput({ numbers: [{ name: 'y', values: [pair(1n)], shape: [2] }] }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The values of number tensor "y" do not fit its shape [2]: the shape holds 2, the tensor has 1.

      Tensor: "y"
      Version: @opengradient/core@x.y.z]
    `)
    expect(() =>
      decodeModelOutput({ strings: [{ name: 's', values: ['a'], shape: [3] }] }),
    ).toThrow(InvalidInputError)
  })

  test('invalid JSON', () => {
    expect(() => decodeModelOutput({ jsons: [{ name: 'embedding', value: '[0.1,' }] })).toThrow(
      InvalidInputError,
    )
    try {
      decodeModelOutput({ jsons: [{ name: 'embedding', value: '[0.1,' }] })
    } catch (error) {
      expect((error as InvalidInputError).shortMessage).toMatchInlineSnapshot(
        `"The JSON scalar "embedding" is not valid JSON."`,
      )
      expect((error as InvalidInputError).cause).toBeInstanceOf(SyntaxError)
    }
  })

  test('a big integer that lost digits as a JS number', () => {
    expect(() =>
      decodeModelOutput({
        numbers: [
          {
            name: 'Y',
            values: [{ value: Number('3774157376028597354888916016'), decimals: 31 }],
            shape: [1],
          },
        ],
      }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The value 3.7741573760285973e+27 of number tensor "Y" has lost digits as a JS number.

      Tensor: "Y"
      Index: 0

      Details: Integers beyond 2^53 lose digits as JS numbers; give them as bigints or decimal strings, for example by parsing the JSON with big integers kept as strings.
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('values that are not integers', () => {
    for (const value of ['1.5', 'abc', '', 1.5, null, true]) {
      expect(() =>
        decodeModelOutput({
          numbers: [{ name: 'y', values: [{ value, decimals: 0 } as never], shape: [1] }],
        }),
      ).toThrow(InvalidInputError)
    }
    expect(() =>
      decodeModelOutput({
        numbers: [{ name: 'y', values: [pair(2n ** 127n)], shape: [1] }],
      }),
    ).toThrow(InvalidInputError)
  })

  test('repeated names within a kind', () => {
    expect(() =>
      decodeModelOutput({
        strings: [
          { name: 's', values: ['a'] },
          { name: 's', values: ['b'] },
        ],
      }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The model output has two string tensors named "s".

      Tensor: "s"
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('malformed structure', () => {
    expect(() => decodeModelOutput(null as never)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The model output must be an object or a tuple, not null.
      Version: @opengradient/core@x.y.z]
    `)
    expect(() => decodeModelOutput({ numbers: {} } as never)).toThrow(InvalidInputError)
    expect(() => decodeModelOutput({ numbers: [1] } as never)).toThrow(InvalidInputError)
    expect(() => decodeModelOutput({ numbers: [{ values: [], shape: [0] }] } as never)).toThrow(
      InvalidInputError,
    )
    expect(() =>
      decodeModelOutput({ numbers: [{ name: 'y', values: [pair(1n)], shape: [-1] }] }),
    ).toThrow(InvalidInputError)
    expect(() =>
      decodeModelOutput({ numbers: [{ name: 'y', values: [1], shape: [1] }] } as never),
    ).toThrow(InvalidInputError)
    expect(() => decodeModelOutput({ strings: [{ name: 's', values: [1] }] } as never)).toThrow(
      InvalidInputError,
    )
    expect(() => decodeModelOutput({ jsons: [{ name: 'j', value: 1 }] } as never)).toThrow(
      InvalidInputError,
    )
    expect(() => decodeModelOutput({ is_simulation_result: 'no' } as never)).toThrow(
      InvalidInputError,
    )
  })
})
