import { describe, expect, test } from 'vitest'
import { formatPercentage } from './formatPercentage.js'

describe('formatPercentage', () => {
  test('default', () => {
    expect(formatPercentage(0.5)).toBe('50.0000000000%')
    expect(formatPercentage(0.00037741574)).toBe('0.0377415740%')
    expect(formatPercentage(-0.025)).toBe('-2.5000000000%')
    expect(formatPercentage(12)).toBe('1200.0000000000%')
  })

  test('behavior: a float32 value widened to float64 keeps its digits', () => {
    // Python: format(float(numpy.float32(0.0123)), '.10%')
    expect(formatPercentage(Math.fround(0.0123))).toBe('1.2299999595%')
    expect(formatPercentage(0.0123)).toBe('1.2300000000%')
  })

  test('behavior: exact ties round half to even, unlike toFixed', () => {
    // 0.0000048828125 × 100 = 0.00048828125 exactly (2^-11).
    expect(formatPercentage(0.0000048828125)).toBe('0.0004882812%')
    expect((0.0000048828125 * 100).toFixed(10)).toBe('0.0004882813')
    // 2^-12 × 100 is not a tie in binary after the multiplication: correctly rounded anyway.
    expect(formatPercentage(2 ** -12, 3)).toBe('0.024%')
    expect(formatPercentage(0.125, 0)).toBe('12%')
    expect(formatPercentage(0.135, 0)).toBe('14%')
    expect(formatPercentage(0.145, 0)).toBe('14%')
  })

  test('behavior: the sign of zero and of tiny negatives is kept', () => {
    expect(formatPercentage(-0)).toBe('-0.0000000000%')
    expect(formatPercentage(-1e-20)).toBe('-0.0000000000%')
    expect(formatPercentage(0)).toBe('0.0000000000%')
  })

  test('args: decimals', () => {
    expect(formatPercentage(0.123456, 3)).toBe('12.346%')
    expect(formatPercentage(1e-320, 2)).toBe('0.00%')
    // Large values print every digit of the exact binary value, as Python does.
    expect(formatPercentage(2 ** 1000, 0)).toBe(`${BigInt(2 ** 1000 * 100)}%`)
  })

  test('behavior: non-finite values as Python prints them', () => {
    expect(formatPercentage(Number.NaN)).toBe('nan%')
    expect(formatPercentage(Number.POSITIVE_INFINITY)).toBe('inf%')
    expect(formatPercentage(Number.NEGATIVE_INFINITY)).toBe('-inf%')
    expect(formatPercentage(1e307)).toBe('inf%')
  })

  test('error: negative decimals', () => {
    expect(() => formatPercentage(1, -1)).toThrowError(RangeError)
  })
})
