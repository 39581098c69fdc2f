import { describe, expect, test, vi } from 'vitest'
import { fixedPointToRatio } from './fixedPointToRatio.js'

vi.mock('../version.js', () => ({ version: 'x.y.z' }))

test('default', () => {
  expect(fixedPointToRatio({ value: -15n, decimals: 1n })).toEqual({
    numerator: -15n,
    denominator: 10n,
  })
})

describe('behavior', () => {
  test.each([
    [
      { value: 5n, decimals: -2n },
      { numerator: 500n, denominator: 1n },
    ],
    [
      { value: 7n, decimals: 0n },
      { numerator: 7n, denominator: 1n },
    ],
    [
      { value: 0n, decimals: 3n },
      { numerator: 0n, denominator: 1000n },
    ],
    [
      { value: 3774157376028597354888916016n, decimals: 31n },
      { numerator: 3774157376028597354888916016n, denominator: 10n ** 31n },
    ],
  ])('%o', (input, expected) => {
    expect(fixedPointToRatio(input)).toEqual(expected)
  })
})

test('error: decimals too large', () => {
  expect(() =>
    fixedPointToRatio({ value: 1n, decimals: 170141183460469231731687303715884105727n }),
  ).toThrowErrorMatchingInlineSnapshot(`
    [InvalidInputError: Cannot build the ratio of a fixed-point number with 170141183460469231731687303715884105727 decimals.

    Details: The ratio is built for |decimals| up to 100000.
    Version: @opengradient/core@x.y.z]
  `)
})
