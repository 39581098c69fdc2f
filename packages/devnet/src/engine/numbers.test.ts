import { describe, expect, test } from 'vitest'
import { fixedPointToFloat, float16BitsToNumber, truncateFixedPoint } from './numbers.js'

/** A decimal string as a fixed-point pair, without going through a JS number. */
function pair(decimal: string): [bigint, bigint] {
  const [whole = '', fraction = ''] = decimal.split('.')
  return [BigInt(whole + fraction), BigInt(fraction.length)]
}

describe('fixedPointToFloat', () => {
  test('default', () => {
    expect(fixedPointToFloat(1n, 1n, 'float32')).toBe(Math.fround(0.1))
    expect(fixedPointToFloat(1n, 1n, 'float64')).toBe(0.1)
    expect(fixedPointToFloat(10n, 0n, 'float32')).toBe(10)
    expect(fixedPointToFloat(-25n, 1n, 'float64')).toBe(-2.5)
    expect(fixedPointToFloat(0n, 5n, 'float32')).toBe(0)
  })

  test('behavior: agrees with correctly rounded parsing on many values', () => {
    let state = 12_345
    const next = () => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) & 0x7fffffff
      return state
    }
    for (let index = 0; index < 5_000; index++) {
      const digits = BigInt(next()) * BigInt(next()) * (next() % 2 ? 1n : -1n)
      const decimals = BigInt(next() % 19)
      const text = `${digits}e-${decimals}`
      // float64 parsing is correctly rounded in V8; float32 needs one rounding, checked below.
      expect(fixedPointToFloat(digits, decimals, 'float64')).toBe(Number(text))
      const float32 = fixedPointToFloat(digits, decimals, 'float32')
      expect(Math.fround(float32)).toBe(float32)
      expect(Math.abs(float32 - Number(text))).toBeLessThanOrEqual(
        Math.abs(Math.fround(Number(text)) - Number(text)),
      )
    }
  })

  test('behavior: float32 is rounded once from the exact decimal (no double rounding)', () => {
    // 1 + 2^-24 + 2^-60: float64 rounds it to the float32 tie 1 + 2^-24, which then goes to 1;
    // rounded once it is above the tie and goes up to 1 + 2^-23.
    const exact = 2n ** 60n + 2n ** 36n + 1n
    const decimals = 60n
    const value = exact * 5n ** 60n
    expect(Math.fround(Number(`${value}e-${decimals}`))).toBe(1)
    expect(fixedPointToFloat(value, decimals, 'float32')).toBe(1 + 2 ** -23)
  })

  test('behavior: ties go to even', () => {
    // 1 + 2^-24 is halfway between 1 and 1 + 2^-23.
    const [tieValue, tieDecimals] = pair('1.000000059604644775390625')
    expect(fixedPointToFloat(tieValue, tieDecimals, 'float32')).toBe(1)
    // 1 + 3 × 2^-24 is halfway between 1 + 2^-23 and 1 + 2^-22.
    const [upValue, upDecimals] = pair('1.000000178813934326171875')
    expect(fixedPointToFloat(upValue, upDecimals, 'float32')).toBe(1 + 2 ** -22)
  })

  test('behavior: subnormals and overflow', () => {
    expect(fixedPointToFloat(1n, 45n, 'float32')).toBe(2 ** -149)
    expect(fixedPointToFloat(1n, 46n, 'float32')).toBe(0)
    expect(fixedPointToFloat(5n, 324n, 'float64')).toBe(5e-324)
    expect(fixedPointToFloat(2n ** 128n, 0n, 'float32')).toBe(Number.POSITIVE_INFINITY)
    expect(fixedPointToFloat(-(2n ** 128n), 0n, 'float32')).toBe(Number.NEGATIVE_INFINITY)
    expect(fixedPointToFloat(2n ** 127n - 1n, 0n, 'float32')).toBe(2 ** 127)
  })

  test('error: negative decimals', () => {
    expect(() => fixedPointToFloat(1n, -1n, 'float32')).toThrow(RangeError)
  })
})

describe('truncateFixedPoint', () => {
  test('default', () => {
    expect(truncateFixedPoint(29n, 1n)).toBe(2n)
    expect(truncateFixedPoint(-29n, 1n)).toBe(-2n)
    expect(truncateFixedPoint(123n, 0n)).toBe(123n)
    expect(truncateFixedPoint(9_999n, 4n)).toBe(0n)
    expect(truncateFixedPoint(2n ** 100n, 0n)).toBe(2n ** 100n)
  })
})

describe('float16BitsToNumber', () => {
  test('default', () => {
    expect(float16BitsToNumber(0x3c00)).toBe(1)
    expect(float16BitsToNumber(0xc100)).toBe(-2.5)
    expect(float16BitsToNumber(0x7bff)).toBe(65_504)
    expect(float16BitsToNumber(0x0001)).toBe(2 ** -24)
    expect(float16BitsToNumber(0x7c00)).toBe(Number.POSITIVE_INFINITY)
    expect(float16BitsToNumber(0x7e00)).toBeNaN()
  })
})
