// Exact conversions from fixed-point pairs to the element types an ONNX session reads.

/** An IEEE 754 binary format, described by what rounding needs. */
type BinaryFormat = {
  /** Significand bits, the implicit one included. */
  precision: number
  /** Exponent of the smallest subnormal. */
  minUnitExponent: number
  /** Exponent of the largest finite power of two. */
  maxExponent: number
}

const binaryFormats = {
  float32: { precision: 24, minUnitExponent: -149, maxExponent: 127 },
  float64: { precision: 53, minUnitExponent: -1074, maxExponent: 1023 },
} as const satisfies Record<string, BinaryFormat>

/** The float formats {@link fixedPointToFloat} rounds to. */
export type FloatFormat = keyof typeof binaryFormats

/**
 * Rounds `value × 10^-decimals` to the nearest `format` number (ties to even), in one step from
 * the exact decimal: no intermediate float64, so float32 results never suffer double rounding.
 * Magnitudes beyond the format's range give `±Infinity`; the caller decides whether that is an
 * error.
 *
 * @param value - The fixed-point value (any size).
 * @param decimals - The number of decimals, at least 0.
 * @param format - `'float32'` (returned as the float64 holding the float32 exactly) or `'float64'`.
 *
 * @example
 * ```ts
 * fixedPointToFloat(1n, 1n, 'float32') // 0.10000000149011612 (= Math.fround(0.1))
 * fixedPointToFloat(-25n, 1n, 'float64') // -2.5
 * ```
 */
export function fixedPointToFloat(value: bigint, decimals: bigint, format: FloatFormat): number {
  if (decimals < 0n) throw new RangeError(`decimals must not be negative, got ${decimals}`)
  return roundRational(value, 10n ** decimals, binaryFormats[format])
}

/**
 * The integer part of `value × 10^-decimals`, truncated toward zero, exactly.
 *
 * @example
 * ```ts
 * truncateFixedPoint(-29n, 1n) // -2n
 * truncateFixedPoint(123n, 0n) // 123n
 * ```
 */
export function truncateFixedPoint(value: bigint, decimals: bigint): bigint {
  if (decimals < 0n) throw new RangeError(`decimals must not be negative, got ${decimals}`)
  // BigInt division truncates toward zero, which is what the node does.
  return value / 10n ** decimals
}

/**
 * Decodes an IEEE 754 half-precision number from its bits, exactly.
 *
 * @example
 * ```ts
 * float16BitsToNumber(0x3c00) // 1
 * float16BitsToNumber(0xc100) // -2.5
 * ```
 */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >> 10) & 0x1f
  const fraction = bits & 0x3ff
  if (exponent === 0) return sign * fraction * 2 ** -24
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN
  return sign * (1024 + fraction) * 2 ** (exponent - 25)
}

function roundRational(numerator: bigint, denominator: bigint, format: BinaryFormat): number {
  if (numerator === 0n) return 0
  const negative = numerator < 0n
  const magnitude = negative ? -numerator : numerator
  // Find e with 2^e <= magnitude / denominator < 2^(e + 1).
  let exponent = bitLength(magnitude) - bitLength(denominator)
  if (compareScaled(magnitude, denominator, exponent) < 0) exponent -= 1
  // The weight of the last significand bit; subnormals keep the smallest one.
  const unit = Math.max(exponent - (format.precision - 1), format.minUnitExponent)
  const scaledNumerator = unit < 0 ? magnitude << BigInt(-unit) : magnitude
  const scaledDenominator = unit > 0 ? denominator << BigInt(unit) : denominator
  let significand = scaledNumerator / scaledDenominator
  const twiceRemainder = (scaledNumerator % scaledDenominator) * 2n
  if (
    twiceRemainder > scaledDenominator ||
    (twiceRemainder === scaledDenominator && (significand & 1n) === 1n)
  ) {
    significand += 1n
  }
  // `significand` has at most precision + 1 bits, so both factors and the product are exact.
  const result =
    significand >= 1n << BigInt(format.maxExponent + 1 - unit)
      ? Number.POSITIVE_INFINITY
      : Number(significand) * 2 ** unit
  return negative ? -result : result
}

function bitLength(value: bigint): number {
  return value.toString(2).length
}

/** Sign of `magnitude − denominator × 2^exponent`. */
function compareScaled(magnitude: bigint, denominator: bigint, exponent: number): number {
  const left = exponent < 0 ? magnitude << BigInt(-exponent) : magnitude
  const right = exponent > 0 ? denominator << BigInt(exponent) : denominator
  return left < right ? -1 : left > right ? 1 : 0
}
