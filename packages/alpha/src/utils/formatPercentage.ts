export type FormatPercentageReturnType = string

/**
 * Formats a number as Python's `format(value, ".10%")` does, digit for digit: the value times 100
 * in float64, written with `decimals` digits after the point, correctly rounded from the exact
 * binary value with ties to even, then `%`. It differs from JS `toFixed` on exact ties
 * (`0.00048828125` gives `0.0004882812`, not `…13`) and keeps the sign of `-0` and of negatives
 * that round to zero.
 *
 * @example
 * ```ts
 * formatPercentage(Math.fround(0.0123)) // '1.2299999595%'
 * formatPercentage(0.0000048828125) // '0.0004882812%'
 * formatPercentage(-0) // '-0.0000000000%'
 * formatPercentage(0.5, 1) // '50.0%'
 * ```
 */
export function formatPercentage(value: number, decimals = 10): FormatPercentageReturnType {
  if (!Number.isInteger(decimals) || decimals < 0) {
    throw new RangeError(`decimals must be a non-negative integer, got ${decimals}`)
  }
  const scaled = value * 100
  if (Number.isNaN(scaled)) return 'nan%'
  if (!Number.isFinite(scaled)) return scaled > 0 ? 'inf%' : '-inf%'
  const negative = scaled < 0 || Object.is(scaled, -0)
  const { mantissa, exponent } = decompose(Math.abs(scaled))
  // |scaled| × 10^decimals = mantissa × 10^decimals × 2^exponent, rounded half to even.
  let units: bigint
  const numerator = mantissa * 10n ** BigInt(decimals)
  if (exponent >= 0) {
    units = numerator << BigInt(exponent)
  } else {
    const denominator = 1n << BigInt(-exponent)
    units = numerator / denominator
    const twiceRemainder = (numerator % denominator) * 2n
    if (twiceRemainder > denominator || (twiceRemainder === denominator && units % 2n === 1n)) {
      units += 1n
    }
  }
  const digits = units.toString().padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  const fraction = digits.slice(digits.length - decimals)
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}%`
}

/** A finite non-negative float64 as `mantissa × 2^exponent`, exactly. */
function decompose(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, value)
  const bits = view.getBigUint64(0)
  const biasedExponent = Number((bits >> 52n) & 0x7ffn)
  const fraction = bits & ((1n << 52n) - 1n)
  if (biasedExponent === 0) return { mantissa: fraction, exponent: -1074 }
  return { mantissa: fraction | (1n << 52n), exponent: biasedExponent - 1075 }
}
