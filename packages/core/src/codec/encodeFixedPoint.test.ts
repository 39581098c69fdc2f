import { describe, expect, test, vi } from 'vitest'
import { InvalidInputError } from '../errors/input.js'
import { encodeFixedPoint } from './encodeFixedPoint.js'

vi.mock('../version.js', () => ({ version: 'x.y.z' }))

const pair = (value: bigint, decimals: bigint) => ({ value, decimals })

test('default', () => {
  expect(encodeFixedPoint(1.5)).toEqual(pair(15n, 1n))
})

describe('behavior: the verified examples of the input rule', () => {
  test.each([
    [0.1, pair(1n, 1n)],
    [1.5, pair(15n, 1n)],
    [123.456, pair(123456n, 3n)],
    [123456.789, pair(123456789n, 3n)],
    [10, pair(10n, 0n)],
    [1.0, pair(1n, 0n)],
    [100.0, pair(100n, 0n)],
    [0.0, pair(0n, 0n)],
    [-0.0, pair(0n, 0n)],
    [-2.5, pair(-25n, 1n)],
    [-0.000123, pair(-123n, 6n)],
    [1e-7, pair(1n, 7n)],
    [1e20, pair(100000000000000000000n, 0n)],
    [1e21, pair(1000000000000000000000n, 0n)],
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: a verified example, not π
    [3.14159265358979, pair(314159265358979n, 14n)],
    [0.30000000000000004, pair(30000000000000004n, 17n)],
  ])('%s', (input, expected) => {
    expect(encodeFixedPoint(input)).toEqual(expected)
  })

  test('2**70 as an integer', () => {
    expect(encodeFixedPoint(2n ** 70n)).toEqual(pair(1180591620717411303424n, 0n))
  })

  test('5e-324 needs 324 decimals, which the node rejects', () => {
    expect(() => encodeFixedPoint(5e-324)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot encode 5e-324 as a fixed-point number: it has 324 decimals and the network accepts at most 18.
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('float32 0.1', () => {
    expect(encodeFixedPoint(Math.fround(0.1), { float32: true })).toEqual(pair(1n, 1n))
  })
})

describe('args: number', () => {
  test.each([
    // Plain notation boundaries of Number#toString.
    [1e-6, pair(1n, 6n)],
    [9.5e-7, pair(95n, 8n)],
    [999999999999999900000, pair(999999999999999900000n, 0n)],
    [1.5e21, pair(1500000000000000000000n, 0n)],
    // Integers around 2^53: beyond it a number is encoded by its shortest decimal.
    [9007199254740991, pair(9007199254740991n, 0n)],
    [-9007199254740991, pair(-9007199254740991n, 0n)],
    [2 ** 53, pair(9007199254740992n, 0n)],
    [2 ** 60, pair(1152921504606847000n, 0n)],
    [-(2 ** 60), pair(-1152921504606847000n, 0n)],
    [2 ** 70, pair(1180591620717411300000n, 0n)],
    [1.7e38, pair(170000000000000000000000000000000000000n, 0n)],
    // 17 significant digits, beyond 2^53 as an integer.
    [0.1234567890123456, pair(1234567890123456n, 16n)],
    [0.12345678901234568, pair(12345678901234568n, 17n)],
    [-0.12345678901234568, pair(-12345678901234568n, 17n)],
    [123456789012345.67, pair(12345678901234567n, 2n)],
    [-98765.43210987654, pair(-9876543210987654n, 11n)],
    [0.012345678901234568, pair(12345678901234568n, 18n)],
    // Values whose low 32-bit word is zero (carry of the two's complement).
    [4294967.296, pair(4294967296n, 3n)],
    [-4294967.296, pair(-4294967296n, 3n)],
    [-4294967296, pair(-4294967296n, 0n)],
    [-1844674407.3709552, pair(-18446744073709552n, 7n)],
    // Exponent notation with a fraction.
    [1.25e-7, pair(125n, 9n)],
    [-3.5e-15, pair(-35n, 16n)],
    [1.2345e25, pair(12345000000000000000000000n, 0n)],
  ])('%s', (input, expected) => {
    expect(encodeFixedPoint(input)).toEqual(expected)
  })
})

describe('args: bigint', () => {
  test.each([
    [0n, pair(0n, 0n)],
    [-5n, pair(-5n, 0n)],
    [2n ** 127n - 1n, pair(2n ** 127n - 1n, 0n)],
    [-(2n ** 127n), pair(-(2n ** 127n), 0n)],
  ])('%s', (input, expected) => {
    expect(encodeFixedPoint(input)).toEqual(expected)
  })
})

describe('args: decimal string', () => {
  test.each([
    ['123.4500', pair(12345n, 2n)],
    ['-0.5', pair(-5n, 1n)],
    ['1e-7', pair(1n, 7n)],
    ['+3', pair(3n, 0n)],
    ['0', pair(0n, 0n)],
    ['-0', pair(0n, 0n)],
    ['000.000', pair(0n, 0n)],
    ['0e999999999999', pair(0n, 0n)],
    ['10', pair(10n, 0n)],
    ['1.0', pair(1n, 0n)],
    ['1.5E3', pair(1500n, 0n)],
    ['2.50e+2', pair(250n, 0n)],
    ['.5', pair(5n, 1n)],
    ['5.', pair(5n, 0n)],
    ['0.000000000000000001', pair(1n, 18n)],
    ['1234.5678901234567', pair(12345678901234567n, 13n)],
    ['12345678901234567890', pair(12345678901234567890n, 0n)],
    ['170141183460469231731687303715884105727', pair(2n ** 127n - 1n, 0n)],
    ['-170141183460469231731687303715884105728', pair(-(2n ** 127n), 0n)],
    ['1.70141183460469231731687303715884105727e38', pair(2n ** 127n - 1n, 0n)],
    ['1000000000000000000000e-21', pair(1n, 0n)],
  ])('%s', (input, expected) => {
    expect(encodeFixedPoint(input)).toEqual(expected)
  })
})

describe('args: float32', () => {
  test.each([
    [Math.fround(0.1), pair(1n, 1n)],
    [0.1, pair(1n, 1n)],
    [Math.fround(3.3), pair(33n, 1n)],
    [Math.fround(0.30000001192092896), pair(3n, 1n)],
    [Math.fround(1e-7), pair(1n, 7n)],
    [16777216, pair(16777216n, 0n)],
    [-3, pair(-3n, 0n)],
    // Above 2^24 an integer float32 has a shorter decimal, as numpy prints it.
    [2 ** 30, pair(1073741800n, 0n)],
    // Exact ties between two shortest decimals go to the even digit, as in numpy.
    [3034876.25, pair(30348762n, 1n)],
    [-6468.15625, pair(-64681562n, 4n)],
    [379806.625, pair(37980662n, 2n)],
  ])('%s', (input, expected) => {
    expect(encodeFixedPoint(input, { float32: true })).toEqual(expected)
  })
})

describe('error', () => {
  test('NaN', () => {
    expect(() => encodeFixedPoint(Number.NaN)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot encode NaN as a fixed-point number.
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('Infinity', () => {
    expect(() => encodeFixedPoint(Number.POSITIVE_INFINITY)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot encode Infinity as a fixed-point number.
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('-Infinity', () => {
    expect(() => encodeFixedPoint(Number.NEGATIVE_INFINITY)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot encode -Infinity as a fixed-point number.
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('more than 18 decimals', () => {
    expect(() => encodeFixedPoint(1e-19)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot encode 1e-19 as a fixed-point number: it has 19 decimals and the network accepts at most 18.
      Version: @opengradient/core@x.y.z]
    `)
    expect(() => encodeFixedPoint(0.0012345678901234567)).toThrow(InvalidInputError)
    expect(() => encodeFixedPoint('0.0000000000000000001')).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot encode "0.0000000000000000001" as a fixed-point number: it has 19 decimals and the network accepts at most 18.
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('outside int128', () => {
    expect(() => encodeFixedPoint(1.7976931348623157e308)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot encode 1.7976931348623157e+308 as a fixed-point number: it does not fit in int128.

      Details: Fixed-point values lie between -2^127 and 2^127 - 1 (about ±1.7e38).
      Version: @opengradient/core@x.y.z]
    `)
    expect(() => encodeFixedPoint(1.8e38)).toThrow(InvalidInputError)
    expect(() => encodeFixedPoint(-1.8e38)).toThrow(InvalidInputError)
    expect(() => encodeFixedPoint(2n ** 127n)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot encode 170141183460469231731687303715884105728 as a fixed-point number: it does not fit in int128.

      Details: Fixed-point values lie between -2^127 and 2^127 - 1 (about ±1.7e38).
      Version: @opengradient/core@x.y.z]
    `)
    expect(() => encodeFixedPoint(-(2n ** 127n) - 1n)).toThrow(InvalidInputError)
    expect(() => encodeFixedPoint('170141183460469231731687303715884105728')).toThrow(
      InvalidInputError,
    )
    expect(() => encodeFixedPoint('1e999999999999')).toThrow(InvalidInputError)
  })

  test.each([
    [''],
    ['abc'],
    [' 1'],
    ['1 '],
    ['1e'],
    ['1e+'],
    ['.'],
    ['-'],
    ['--1'],
    ['1..2'],
    ['0x10'],
    ['1_000'],
    ['Infinity'],
    ['NaN'],
  ])('not a decimal: %j', (input) => {
    expect(() => encodeFixedPoint(input)).toThrow(InvalidInputError)
  })

  test('not a decimal: message', () => {
    expect(() => encodeFixedPoint('12,5')).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: "12,5" is not a decimal number.

      Details: Write digits with an optional sign, decimal point and exponent, such as "-12.5e-3".
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('beyond the float32 range', () => {
    expect(() => encodeFixedPoint(1e39, { float32: true })).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot encode 1e+39 as a float32 fixed-point number: it is beyond the float32 range.
      Version: @opengradient/core@x.y.z]
    `)
  })

  test('not a number', () => {
    expect(() => encodeFixedPoint(true as never)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: Cannot encode true as a fixed-point number.

      Details: Pass a number, a bigint or a decimal string.
      Version: @opengradient/core@x.y.z]
    `)
  })
})
