import { describe, expect, test, vi } from 'vitest'
import { InvalidInputError } from '../errors/input.js'
import { flattenTensor } from './flattenTensor.js'

vi.mock('../version.js', () => ({ version: 'x.y.z' }))

const pair = (value: bigint, decimals = 0n) => ({ value, decimals })

test('default', () => {
  expect(
    flattenTensor([
      [1, 2],
      [3, 4.5],
    ]),
  ).toEqual({
    type: 'number',
    shape: [2, 2],
    values: [pair(1n), pair(2n), pair(3n), pair(45n, 1n)],
  })
})

describe('args: scalars', () => {
  test('number', () => {
    expect(flattenTensor(10)).toEqual({ type: 'number', shape: [1], values: [pair(10n)] })
  })

  test('bigint', () => {
    expect(flattenTensor(2n ** 70n)).toEqual({
      type: 'number',
      shape: [1],
      values: [pair(1180591620717411303424n)],
    })
  })

  test('string', () => {
    expect(flattenTensor(' world')).toEqual({ type: 'string', shape: [1], values: [' world'] })
  })
})

describe('args: nested arrays', () => {
  test('rank 3, row-major', () => {
    const tensor = flattenTensor([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [7, 8, 9],
        [10, 11, 12],
      ],
    ])
    expect(tensor.shape).toEqual([2, 2, 3])
    expect(tensor.values).toEqual(Array.from({ length: 12 }, (_, i) => pair(BigInt(i + 1))))
  })

  test('bigints and numbers mix', () => {
    expect(flattenTensor([1n, 2.5]).values).toEqual([pair(1n), pair(25n, 1n)])
  })

  test('strings', () => {
    expect(
      flattenTensor([
        ['a', 'b'],
        ['c', 'd'],
      ]),
    ).toEqual({
      type: 'string',
      shape: [2, 2],
      values: ['a', 'b', 'c', 'd'],
    })
  })

  test('empty list', () => {
    expect(flattenTensor([])).toEqual({ type: 'number', shape: [0], values: [] })
  })

  test('empty rows', () => {
    expect(flattenTensor([[], []])).toEqual({ type: 'number', shape: [2, 0], values: [] })
  })

  test('typed arrays as rows', () => {
    expect(flattenTensor([new Float32Array([0.1, 0.2]), new Int8Array([-1, 2])] as never)).toEqual({
      type: 'number',
      shape: [2, 2],
      values: [pair(1n, 1n), pair(2n, 1n), pair(-1n), pair(2n)],
    })
  })
})

describe('args: typed arrays', () => {
  test('Float32Array uses the float32 shortest decimal', () => {
    expect(flattenTensor(new Float32Array([0.1, 3.3, -1.5]))).toEqual({
      type: 'number',
      shape: [3],
      values: [pair(1n, 1n), pair(33n, 1n), pair(-15n, 1n)],
    })
  })

  test('Float64Array', () => {
    expect(flattenTensor(new Float64Array([0.1, 3.3])).values).toEqual([
      pair(1n, 1n),
      pair(33n, 1n),
    ])
  })

  test.each([
    [new Int8Array([-128, 127])],
    [new Int16Array([-128, 127])],
    [new Int32Array([-128, 127])],
    [new Uint8Array([0, 255])],
    [new Uint16Array([0, 255])],
    [new Uint32Array([0, 4294967295])],
  ])('%o', (array) => {
    expect(flattenTensor(array).values).toEqual(Array.from(array, (x) => pair(BigInt(x))))
  })

  test('BigInt64Array and BigUint64Array are exact', () => {
    expect(flattenTensor(new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n])).values).toEqual([
      pair(-(2n ** 63n)),
      pair(2n ** 63n - 1n),
    ])
    expect(flattenTensor(new BigUint64Array([2n ** 64n - 1n])).values).toEqual([
      pair(2n ** 64n - 1n),
    ])
  })
})

describe('args: explicit tensors', () => {
  test('number tensor with decimal strings', () => {
    expect(
      flattenTensor({ type: 'number', values: ['1234.5678901234567', 2, 3n], shape: [3] }),
    ).toEqual({
      type: 'number',
      shape: [3],
      values: [pair(12345678901234567n, 13n), pair(2n), pair(3n)],
    })
  })

  test('flat values reshaped', () => {
    expect(
      flattenTensor({ type: 'number', values: new Float32Array([0.1, 0.2]), shape: [1, 2] }),
    ).toEqual({ type: 'number', shape: [1, 2], values: [pair(1n, 1n), pair(2n, 1n)] })
  })

  test('nested values reshaped', () => {
    expect(
      flattenTensor({
        type: 'number',
        values: [
          [1, 2],
          [3, 4],
        ],
        shape: [4],
      }).shape,
    ).toEqual([4])
  })

  test('one element', () => {
    expect(flattenTensor({ type: 'number', values: '0.5' })).toEqual({
      type: 'number',
      shape: [1],
      values: [pair(5n, 1n)],
    })
    expect(flattenTensor({ type: 'string', values: 'x' })).toEqual({
      type: 'string',
      shape: [1],
      values: ['x'],
    })
  })

  test('string tensor with a shape', () => {
    expect(flattenTensor({ type: 'string', values: ['a', 'b', 'c', 'd'], shape: [2, 2] })).toEqual({
      type: 'string',
      shape: [2, 2],
      values: ['a', 'b', 'c', 'd'],
    })
  })

  test('empty string tensor', () => {
    expect(flattenTensor({ type: 'string', values: [] })).toEqual({
      type: 'string',
      shape: [0],
      values: [],
    })
  })

  test('shape with a zero dimension', () => {
    expect(flattenTensor({ type: 'number', values: [], shape: [3, 0] })).toEqual({
      type: 'number',
      shape: [3, 0],
      values: [],
    })
  })
})

describe('error', () => {
  test('ragged: shorter row', () => {
    expect(() => flattenTensor([[1, 2], [3]], { name: 'x' })).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Nested arrays must be rectangular: the array at [1] has 1 element where 2 are expected.

      Tensor: "x"
      Index: [1]
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('ragged: deeper element', () => {
    expect(() =>
      flattenTensor(
        [
          [1, 2],
          [3, [4]],
        ] as never,
        { name: 'x' },
      ),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Nested arrays must be rectangular: found an array at [1, 1] where a single element is expected.

      Tensor: "x"
      Index: [1, 1]
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('ragged: shallower element', () => {
    expect(() =>
      flattenTensor([[1, 2], 3] as never, { name: 'x' }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Nested arrays must be rectangular: found 3 at [1] where an array of 2 elements is expected.

      Tensor: "x"
      Index: [1]
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('ragged: empty row among full rows', () => {
    expect(() => flattenTensor([[], [1]], { name: 'x' })).toThrow(InvalidInputError)
  })

  test('NaN names the nested path and the flat index', () => {
    const error = catchError(() =>
      flattenTensor(
        [
          [1, 2],
          [3, Number.NaN],
        ],
        { name: 'x' },
      ),
    )
    expect(error.tensorName).toBe('x')
    expect(error.index).toEqual([1, 1])
    expect(error).toMatchInlineSnapshot(`
      [InvalidInputError: Cannot encode NaN as a fixed-point number.

      Tensor: "x"
      Index: [1, 1]
      Flat index: 3
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('Infinity in a flat tensor names the flat index', () => {
    const error = catchError(() => flattenTensor([1, 2, Number.POSITIVE_INFINITY], { name: 'x' }))
    expect(error.index).toBe(2)
  })

  test('NaN in a Float32Array', () => {
    const error = catchError(() => flattenTensor(new Float32Array([1, Number.NaN]), { name: 'x' }))
    expect(error.index).toBe(1)
  })

  test('NaN in a typed row names its path', () => {
    const rows = [new Float64Array([1, 2]), new Float64Array([3, Number.NaN])]
    const error = catchError(() => flattenTensor(rows as never, { name: 'x' }))
    expect(error.index).toEqual([1, 1])
  })

  test('mixed numbers and strings', () => {
    expect(() =>
      flattenTensor([1, 'a'] as never, { name: 'x' }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: A tensor cannot mix numbers and strings: found the string "a" in a number tensor.

      Tensor: "x"
      Index: 1

      Details: To give exact numbers as text, use { type: "number", values: [...] } with decimal strings.
      Version: @opengradient/core@x.y.z]
    `)
    expect(() =>
      flattenTensor(['a', 1] as never, { name: 'x' }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: A tensor cannot mix numbers and strings: found the number 1 in a string tensor.

      Tensor: "x"
      Index: 1
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('booleans', () => {
    expect(() =>
      flattenTensor([1, true] as never, { name: 'x' }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Booleans are not tensor elements: found true.

      Tensor: "x"
      Index: 1

      Details: Use 0 and 1 if the model takes numbers.
      Version: @opengradient/core@x.y.z]
    `)
    expect(() => flattenTensor(true as never, { name: 'x' })).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot use true as a tensor.

      Tensor: "x"

      Details: A tensor is a number, a bigint, a string, nested arrays, a typed array or a { type, values, shape? } object.
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('null and undefined', () => {
    expect(() =>
      flattenTensor([[1, null]] as never, { name: 'x' }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Found null, which is not a tensor element.

      Tensor: "x"
      Index: [0, 1]
      Flat index: 1
      Version: @opengradient/core@x.y.z]
    `)
    expect(() => flattenTensor([undefined] as never, { name: 'x' })).toThrow(InvalidInputError)
    expect(() => flattenTensor(null as never, { name: 'x' })).toThrow(InvalidInputError)
  })

  test('objects', () => {
    expect(() =>
      flattenTensor([{ value: 1 }] as never, { name: 'x' }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Found an object, which is not a tensor element.

      Tensor: "x"
      Index: 0
      Version: @opengradient/core@x.y.z]
    `)
    expect(() =>
      flattenTensor({ shape: [1], values: [1] } as never, { name: 'x' }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot use an object as a tensor.

      Tensor: "x"

      Details: A tensor is a number, a bigint, a string, nested arrays, a typed array or a { type, values, shape? } object.
      Version: @opengradient/core@x.y.z]
    `)
    expect(() => flattenTensor(new DataView(new ArrayBuffer(4)) as never)).toThrow(
      InvalidInputError,
    )
  })

  test('unknown tensor type', () => {
    expect(() =>
      flattenTensor({ type: 'bool', values: [true] } as never, { name: 'x' }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The tensor type "bool" is not supported.

      Tensor: "x"

      Details: Use "number" or "string".
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('shape does not match the values', () => {
    expect(() =>
      flattenTensor({ type: 'number', values: [1, 2, 3], shape: [2, 2] }, { name: 'x' }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The shape [2, 2] holds 4 elements but 3 values were given.

      Tensor: "x"
      Version: @opengradient/core@x.y.z]
    `)
    expect(() =>
      flattenTensor({ type: 'string', values: ['a'], shape: [] }, { name: 'x' }),
    ).not.toThrow()
  })

  test('invalid shape', () => {
    expect(() =>
      flattenTensor({ type: 'number', values: [1], shape: [-1] }, { name: 'x' }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The shape dimension -1 is not an integer from 0 to 4294967295.

      Tensor: "x"
      Version: @opengradient/core@x.y.z]
    `)
    expect(() =>
      flattenTensor({ type: 'number', values: [1], shape: [1.5] }, { name: 'x' }),
    ).toThrow(InvalidInputError)
    expect(() =>
      flattenTensor({ type: 'number', values: [], shape: [2 ** 32, 0] }, { name: 'x' }),
    ).toThrow(InvalidInputError)
    expect(() =>
      flattenTensor({ type: 'number', values: [1], shape: 1 } as never, { name: 'x' }),
    ).toThrow(InvalidInputError)
  })

  test('not a decimal string in a number tensor', () => {
    expect(() =>
      flattenTensor({ type: 'number', values: ['1.5', 'abc'] }, { name: 'x' }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: "abc" is not a decimal number.

      Tensor: "x"
      Index: 1

      Details: Write digits with an optional sign, decimal point and exponent, such as "-12.5e-3".
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('numbers in a string tensor', () => {
    expect(() =>
      flattenTensor({ type: 'string', values: ['a', 1] } as never, { name: 'x' }),
    ).toThrow(InvalidInputError)
    expect(() =>
      flattenTensor({ type: 'string', values: new Float32Array([1]) } as never, { name: 'x' }),
    ).toThrow(InvalidInputError)
    expect(() => flattenTensor({ type: 'string', values: 1 } as never, { name: 'x' })).toThrow(
      InvalidInputError,
    )
  })

  test('more than 18 decimals and int128 overflow name the element', () => {
    expect(catchError(() => flattenTensor([0.5, 1e-19], { name: 'x' })).index).toBe(1)
    expect(catchError(() => flattenTensor([[2n ** 127n]], { name: 'x' })).index).toEqual([0, 0])
  })
})

function catchError(run: () => unknown): InvalidInputError {
  try {
    run()
  } catch (error) {
    if (error instanceof InvalidInputError) return error
    throw error
  }
  throw new Error('expected an InvalidInputError')
}
