import type { FixedPointNumber } from '../types/tensors.js'

export type FixedPointToDecimalStringReturnType = string

// Padding beyond this many zeros switches to exponent notation, so hostile `decimals` cannot
// build gigantic strings. Real outputs stay far below (a float64 needs at most 351 decimals).
const plainNotationLimit = 1000

/**
 * The exact decimal text of a fixed-point number, normalised: no trailing zeros after the point,
 * no point for integers, `-` for negatives. Works for any `decimals`, including more than 18 and
 * negative ones. Exponents whose plain notation would need more than 1000 zeros are written in
 * exponent notation (`1.5e-2000`).
 *
 * @example
 * ```ts
 * fixedPointToDecimalString({ value: 3774157376028597354888916016n, decimals: 31n })
 * // '0.0003774157376028597354888916016'
 * fixedPointToDecimalString({ value: -15n, decimals: 1n }) // '-1.5'
 * fixedPointToDecimalString({ value: 5n, decimals: -2n }) // '500'
 * ```
 */
export function fixedPointToDecimalString(
  fixedPoint: FixedPointNumber,
): FixedPointToDecimalStringReturnType {
  const { value, decimals } = fixedPoint
  if (value === 0n) return '0'
  const sign = value < 0n ? '-' : ''
  let digits = (value < 0n ? -value : value).toString()
  // Strip trailing zeros into the exponent: digits × 10^exponent.
  let end = digits.length
  while (digits.charCodeAt(end - 1) === 48) end--
  const exponent = -decimals + BigInt(digits.length - end)
  digits = digits.slice(0, end)

  if (exponent >= 0n) {
    if (exponent <= BigInt(plainNotationLimit)) return sign + digits + '0'.repeat(Number(exponent))
    return sign + scientific(digits, exponent)
  }
  const fractionLength = -exponent
  if (fractionLength < BigInt(digits.length)) {
    const split = digits.length - Number(fractionLength)
    return `${sign}${digits.slice(0, split)}.${digits.slice(split)}`
  }
  const zeros = fractionLength - BigInt(digits.length)
  if (zeros <= BigInt(plainNotationLimit)) return `${sign}0.${'0'.repeat(Number(zeros))}${digits}`
  return sign + scientific(digits, exponent)
}

/** `d.ddd e±n` for `digits × 10^exponent`. */
function scientific(digits: string, exponent: bigint): string {
  const power = exponent + BigInt(digits.length - 1)
  const mantissa = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`
  return `${mantissa}e${power < 0n ? '-' : '+'}${power < 0n ? -power : power}`
}
