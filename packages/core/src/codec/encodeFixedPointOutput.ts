import type { InvalidInputErrorType } from '../errors/input.js'
import type { FixedPointNumber } from '../types/tensors.js'
import { int128Max, int128Min } from './constants.js'
import { exactDecimal } from './decimal.js'
import { describeValue, elementError } from './elementError.js'

export type EncodeFixedPointOutputReturnType = FixedPointNumber

export type EncodeFixedPointOutputErrorType = InvalidInputErrorType

/** Python's default decimal context, which the node rounds outputs with. */
const significantDigits = 28

/**
 * Encodes one model output element the way the inference node does: the **exact** decimal
 * expansion of the float64, rounded to 28 significant digits (half-even), trailing zeros
 * stripped, integers with `decimals` 0.
 *
 * For a float32 output pass its float64 widening (any float32 `number` is one); integer outputs
 * (int64) can be passed as `bigint` and stay exact below 28 digits. Unlike inputs, outputs can
 * have more than 18 decimals.
 *
 * Throws an `InvalidInputError` for NaN, ±Infinity and values whose encoding does not fit int128
 * (magnitudes from about 1.7e38).
 *
 * @example
 * ```ts
 * encodeFixedPointOutput(Math.fround(0.00037741574))
 * // { value: 3774157376028597354888916016n, decimals: 31n }
 * encodeFixedPointOutput(0.1) // { value: 1000000000000000055511151231n, decimals: 28n }
 * encodeFixedPointOutput(123456789n) // { value: 123456789n, decimals: 0n }
 * ```
 */
export function encodeFixedPointOutput(value: number | bigint): EncodeFixedPointOutputReturnType {
  let negative: boolean
  let digits: string
  let exponent: number
  if (typeof value === 'bigint') {
    if (value === 0n) return { value: 0n, decimals: 0n }
    negative = value < 0n
    digits = (negative ? -value : value).toString()
    exponent = 0
  } else if (typeof value === 'number') {
    if (Number.isNaN(value) || !Number.isFinite(value)) {
      throw elementError(`Cannot encode ${value} as a fixed-point output.`, undefined)
    }
    if (value === 0) return { value: 0n, decimals: 0n }
    negative = value < 0
    ;({ digits, exponent } = exactDecimal(negative ? -value : value))
  } else {
    throw elementError(
      `Cannot encode ${describeValue(value)} as a fixed-point output.`,
      undefined,
      'Pass a number or a bigint.',
    )
  }

  if (digits.length > significantDigits) {
    const dropped = digits.length - significantDigits
    let kept = digits.slice(0, significantDigits)
    const next = digits.charCodeAt(significantDigits) - 48
    let roundUp = next > 5
    if (next === 5) {
      let beyondHalf = false
      for (let i = significantDigits + 1; i < digits.length; i++) {
        if (digits.charCodeAt(i) !== 48) {
          beyondHalf = true
          break
        }
      }
      // On an exact tie, round to the even neighbour.
      roundUp = beyondHalf || (kept.charCodeAt(significantDigits - 1) - 48) % 2 === 1
    }
    if (roundUp) kept = (BigInt(kept) + 1n).toString()
    digits = kept
    exponent += dropped
  }

  let end = digits.length
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--
  exponent += digits.length - end
  digits = digits.slice(0, end)

  let magnitude = BigInt(digits)
  let decimals = 0n
  if (exponent >= 0) magnitude *= 10n ** BigInt(exponent)
  else decimals = BigInt(-exponent)
  const encoded = negative ? -magnitude : magnitude
  if (encoded > int128Max || encoded < int128Min) {
    throw elementError(
      `Cannot encode ${describeValue(value)} as a fixed-point output: it does not fit in int128.`,
      undefined,
      'Fixed-point values lie between -2^127 and 2^127 - 1 (about ±1.7e38).',
    )
  }
  return { value: encoded, decimals }
}
