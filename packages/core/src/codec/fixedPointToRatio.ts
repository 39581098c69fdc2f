import type { InvalidInputErrorType } from '../errors/input.js'
import type { FixedPointNumber } from '../types/tensors.js'
import { elementError } from './elementError.js'

export type FixedPointToRatioReturnType = {
  numerator: bigint
  /** Always positive: `10^decimals`, or 1 when `decimals ≤ 0`. */
  denominator: bigint
}

export type FixedPointToRatioErrorType = InvalidInputErrorType

// 10^100000 already has 332,193 bits; larger powers are not meaningful fixed-point data and
// would take seconds to build.
const maxScale = 100_000n

/**
 * The exact value of a fixed-point number as a fraction of two bigints, for exact arithmetic.
 * The fraction is not reduced: the denominator is `10^decimals` (or 1 when `decimals ≤ 0`, with
 * the numerator scaled up).
 *
 * Throws an `InvalidInputError` when `|decimals|` exceeds 100,000.
 *
 * @example
 * ```ts
 * fixedPointToRatio({ value: -15n, decimals: 1n }) // { numerator: -15n, denominator: 10n }
 * fixedPointToRatio({ value: 5n, decimals: -2n }) // { numerator: 500n, denominator: 1n }
 * ```
 */
export function fixedPointToRatio(fixedPoint: FixedPointNumber): FixedPointToRatioReturnType {
  const { value, decimals } = fixedPoint
  if (decimals > maxScale || decimals < -maxScale) {
    throw elementError(
      `Cannot build the ratio of a fixed-point number with ${decimals} decimals.`,
      undefined,
      `The ratio is built for |decimals| up to ${maxScale}.`,
    )
  }
  if (decimals >= 0n) return { numerator: value, denominator: 10n ** decimals }
  return { numerator: value * 10n ** -decimals, denominator: 1n }
}
