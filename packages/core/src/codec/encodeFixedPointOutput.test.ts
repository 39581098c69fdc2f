import { describe, expect, test, vi } from 'vitest'
import { InvalidInputError } from '../errors/input.js'
import { encodeFixedPointOutput } from './encodeFixedPointOutput.js'

vi.mock('../version.js', () => ({ version: 'x.y.z' }))

const pair = (value: bigint, decimals: bigint) => ({ value, decimals })

test('default', () => {
  expect(encodeFixedPointOutput(Math.fround(0.00037741574))).toEqual(
    pair(3774157376028597354888916016n, 31n),
  )
})

describe('behavior: the verified examples of the output rule', () => {
  test.each([
    ['float32 11.0', Math.fround(11), pair(11n, 0n)],
    ['float32 10.0', Math.fround(10), pair(10n, 0n)],
    ['float32 -1.5', Math.fround(-1.5), pair(-15n, 1n)],
    ['float32 0.1', Math.fround(0.1), pair(100000001490116119384765625n, 27n)],
    ['float32 0.00037741574', Math.fround(0.00037741574), pair(3774157376028597354888916016n, 31n)],
    ['float32 3.3', Math.fround(3.3), pair(32999999523162841796875n, 22n)],
    ['float32 1e-7', Math.fround(1e-7), pair(1000000011686097423080354929n, 34n)],
    ['float64 0.1', 0.1, pair(1000000000000000055511151231n, 28n)],
    ['int64 123456789', 123456789n, pair(123456789n, 0n)],
  ])('%s', (_, input, expected) => {
    expect(encodeFixedPointOutput(input)).toEqual(expected)
  })
})

describe('behavior', () => {
  test.each([
    ['zero', 0, pair(0n, 0n)],
    ['negative zero', -0, pair(0n, 0n)],
    ['bigint zero', 0n, pair(0n, 0n)],
    ['int64 maximum', 9223372036854775807n, pair(9223372036854775807n, 0n)],
    ['int64 minimum', -9223372036854775808n, pair(-9223372036854775808n, 0n)],
    // 29 digits round to 28, half-even, and keep the exponent.
    [
      'bigint rounded down',
      12345678901234567890123456784n,
      pair(12345678901234567890123456780n, 0n),
    ],
    [
      'bigint tie to even (down)',
      12345678901234567890123456785n,
      pair(12345678901234567890123456780n, 0n),
    ],
    [
      'bigint tie to even (up)',
      12345678901234567890123456795n,
      pair(12345678901234567890123456800n, 0n),
    ],
    ['bigint rounded up', 12345678901234567890123456786n, pair(12345678901234567890123456790n, 0n)],
    [
      'carry to a new digit',
      99999999999999999999999999995n,
      pair(100000000000000000000000000000n, 0n),
    ],
    // float64 1e30 is 1000000000000000019884624838656 exactly.
    ['float64 1e30', 1e30, pair(1000000000000000019884624839000n, 0n)],
    ['float64 2^100', 2 ** 100, pair(1267650600228229401496703205000n, 0n)],
    [
      'float64 -0.30000000000000004',
      -0.30000000000000004,
      pair(-300000000000000044408920985n, 27n),
    ],
    ['smallest subnormal', 5e-324, pair(4940656458412465441765687929n, 351n)],
    [
      'float32 maximum below 2^127',
      Math.fround(1.7e38),
      pair(169999997607218212453866206900000000000n, 0n),
    ],
  ])('%s', (_, input, expected) => {
    expect(encodeFixedPointOutput(input)).toEqual(expected)
  })
})

describe('error', () => {
  test('NaN', () => {
    expect(() => encodeFixedPointOutput(Number.NaN)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot encode NaN as a fixed-point output.
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('Infinity', () => {
    expect(() => encodeFixedPointOutput(Number.NEGATIVE_INFINITY)).toThrow(InvalidInputError)
  })

  test('outside int128', () => {
    expect(() => encodeFixedPointOutput(Math.fround(3e38))).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot encode 3.0000000054977558e+38 as a fixed-point output: it does not fit in int128.

      Details: Fixed-point values lie between -2^127 and 2^127 - 1 (about ±1.7e38).
      Version: @opengradient/core@x.y.z]
    `)
    expect(() => encodeFixedPointOutput(-(10n ** 39n))).toThrow(InvalidInputError)
    // Rounding to 28 digits comes first: just below -2^127 rounds back into range.
    expect(encodeFixedPointOutput(-(2n ** 127n) - 1n)).toEqual(
      pair(-170141183460469231731687303700000000000n, 0n),
    )
  })

  test('not a number', () => {
    expect(() => encodeFixedPointOutput('1' as never)).toThrow(InvalidInputError)
  })
})
