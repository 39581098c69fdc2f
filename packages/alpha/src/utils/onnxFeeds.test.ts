import { describe, expect, test } from 'vitest'
import { fitShape, roundToFloat32 } from './onnxFeeds.js'

describe('roundToFloat32', () => {
  test('default', () => {
    expect(roundToFloat32(1n, 10n)).toBe(Math.fround(0.1))
    expect(roundToFloat32(-25n, 10n)).toBe(-2.5)
    expect(roundToFloat32(0n, 1n)).toBe(0)
    expect(roundToFloat32(3774157376028597354888916016n, 10n ** 31n)).toBe(
      Math.fround(0.00037741574),
    )
  })

  test('behavior: rounds once, where float64 then float32 would round twice', () => {
    // Just above the midpoint of 1 and the next float32; its nearest float64 is the midpoint.
    const text = '1.000000059604644776'
    expect(Math.fround(Number(text))).toBe(1)
    expect(roundToFloat32(1000000059604644776n, 10n ** 18n)).toBe(1 + 2 ** -23)
  })

  test('behavior: agrees with Math.fround wherever the float64 is exact', () => {
    for (const value of [1, 123.5, 1e-40, 3.4e38, 2 ** -149, 0.75, 65504.25]) {
      const text = value.toString()
      const [digits, exponent = '0'] = text.split('e')
      const [whole, fraction = ''] = digits!.split('.')
      const scale = fraction.length - Number(exponent)
      const numerator = BigInt(whole! + fraction) * (scale < 0 ? 10n ** BigInt(-scale) : 1n)
      const denominator = scale > 0 ? 10n ** BigInt(scale) : 1n
      expect(roundToFloat32(numerator, denominator), text).toBe(Math.fround(value))
    }
  })

  test('behavior: beyond float32 is infinite', () => {
    expect(roundToFloat32(10n ** 39n, 1n)).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('fitShape', () => {
  test('default', () => {
    expect(fitShape('x', [2, 2], 4, [2, 2])).toEqual([2, 2])
    expect(fitShape('x', [3], 3, ['n'])).toEqual([3])
  })

  test('args: other ranks', () => {
    expect(fitShape('x', [4], 4, [1, 4])).toEqual([1, 4])
    expect(fitShape('x', [12], 12, [3, 'n'])).toEqual([3, 4])
    expect(fitShape('x', [24, 5], 120, ['batch', 24, 5])).toEqual([1, 24, 5])
  })

  test('error: no fit', () => {
    expect(() => fitShape('x', [2, 2], 4, [1, 3])).toThrow(
      'Shape mismatch for input x: got [2,2], model expects [1,3].',
    )
    expect(() => fitShape('x', [3], 2, [3])).toThrow('shape [3] needs 3 values, got 2')
  })
})
