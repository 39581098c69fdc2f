import type { FixedPointNumber } from '../types/tensors.js'

export type FixedPointToNumberReturnType = number

// Powers of ten that are exact doubles; their literals are exact, unlike `10 ** n` in some engines.
const exactPowersOfTen = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
]

// Exponent suffixes of the usual decimals, so the common slow path builds one string.
const exponentSuffixes = Array.from({ length: 65 }, (_, decimals) => `e-${decimals}`)

/**
 * The float64 nearest to a fixed-point number's exact value `value × 10^-decimals`, for any
 * `decimals` (more than 18, negative) and any `value`.
 *
 * When `|value| < 2^53` and `|decimals| ≤ 22` both operands are exact doubles and one IEEE
 * division or multiplication rounds correctly. Otherwise the exact decimal text goes through the
 * engine's correctly rounded decimal parser; `value / 10 ** decimals` in floating point is never
 * used, since it rounds twice.
 *
 * @example
 * ```ts
 * fixedPointToNumber({ value: 15n, decimals: 1n }) // 1.5
 * fixedPointToNumber({ value: 3774157376028597354888916016n, decimals: 31n }) // 0.00037741573760285974
 * fixedPointToNumber({ value: 5n, decimals: -2n }) // 500
 * ```
 */
export function fixedPointToNumber(fixedPoint: FixedPointNumber): FixedPointToNumberReturnType {
  const { value, decimals } = fixedPoint
  if (value < 9007199254740992n && value > -9007199254740992n) {
    if (decimals >= 0n) {
      if (decimals <= 22n) return Number(value) / exactPowersOfTen[Number(decimals)]!
    } else if (decimals >= -22n) return Number(value) * exactPowersOfTen[Number(-decimals)]!
  }
  // Decimal text with any exponent is parsed with one correct rounding, including underflow to
  // ±0 and overflow to ±Infinity.
  if (decimals >= 0n && decimals < 65n) {
    return Number(value.toString() + exponentSuffixes[Number(decimals)]!)
  }
  return Number(`${value}e${-decimals}`)
}
