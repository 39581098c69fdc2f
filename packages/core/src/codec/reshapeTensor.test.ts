import { describe, expect, test, vi } from 'vitest'
import { InvalidInputError } from '../errors/input.js'
import { reshapeTensor } from './reshapeTensor.js'

vi.mock('../version.js', () => ({ version: 'x.y.z' }))

test('default', () => {
  expect(reshapeTensor({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] })).toEqual([
    [1, 2, 3],
    [4, 5, 6],
  ])
})

describe('behavior', () => {
  test('rank 1', () => {
    expect(reshapeTensor({ shape: [3], data: ['a', 'b', 'c'] })).toEqual(['a', 'b', 'c'])
  })

  test('rank 3, row-major', () => {
    expect(reshapeTensor({ shape: [2, 1, 2], data: [1, 2, 3, 4] })).toEqual([[[1, 2]], [[3, 4]]])
  })

  test('rank 0 gives the element', () => {
    expect(reshapeTensor({ shape: [], data: [7] })).toBe(7)
  })

  test('zero dimensions', () => {
    expect(reshapeTensor({ shape: [2, 0], data: [] })).toEqual([[], []])
    expect(reshapeTensor({ shape: [0, 2], data: [] })).toEqual([])
  })

  test('typed array data', () => {
    expect(reshapeTensor({ shape: [2, 1], data: new Float32Array([0.5, 1.5]) })).toEqual([
      [0.5],
      [1.5],
    ])
  })
})

describe('error', () => {
  test('size mismatch', () => {
    expect(() =>
      reshapeTensor({ shape: [2, 2], data: [1, 2, 3] }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The shape [2, 2] does not fit the data: the shape holds 4, the data has 3.
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('invalid dimension', () => {
    expect(() => reshapeTensor({ shape: [-1], data: [] })).toThrow(InvalidInputError)
  })

  test('too many empty arrays', () => {
    expect(() => reshapeTensor({ shape: [4294967295, 0], data: [] })).toThrow(InvalidInputError)
  })
})
