// Parsing of decimal text into sign, significant digits and exponent, shared by the encoders and
// the JSON reader.

/** A decimal number as sign, significant digits and the base-10 exponent of the last digit. */
export type DecimalParts = {
  negative: boolean
  /** Significant digits without leading or trailing zeros; empty for zero. */
  digits: string
  /** Power of ten of the last digit of `digits`; 0 for zero. */
  exponent: number
}

// Exponents beyond this are not accumulated further: such a number is zero, out of int128 range
// or has too many decimals whatever the exact exponent.
const exponentCap = 1e9

/**
 * Parses `[+-]digits[.digits][(e|E)[+-]digits]` (a leading or trailing point is allowed, as in
 * `.5` and `5.`) and strips leading and trailing zeros, like Python's `Decimal.normalize()`.
 * Returns `undefined` for anything else, including surrounding spaces, `Infinity` and `NaN`.
 */
export function parseDecimal(text: string): DecimalParts | undefined {
  const length = text.length
  let i = 0
  let negative = false
  let code = text.charCodeAt(0)
  if (code === 45 || code === 43) {
    negative = code === 45
    i = 1
  }
  let point = -1
  let firstNonZero = -1
  let lastNonZero = -1
  let digitCount = 0
  for (; i < length; i++) {
    code = text.charCodeAt(i)
    if (code >= 48 && code <= 57) {
      digitCount++
      if (code !== 48) {
        if (firstNonZero < 0) firstNonZero = i
        lastNonZero = i
      }
    } else if (code === 46 && point < 0) point = i
    else break
  }
  if (digitCount === 0) return undefined
  const mantissaEnd = i
  let exponent = 0
  if (i < length) {
    if (code !== 101 && code !== 69) return undefined
    i++
    let exponentNegative = false
    code = text.charCodeAt(i)
    if (code === 45 || code === 43) {
      exponentNegative = code === 45
      i++
    }
    const exponentStart = i
    for (; i < length; i++) {
      code = text.charCodeAt(i)
      if (code < 48 || code > 57) return undefined
      if (exponent < exponentCap) exponent = exponent * 10 + (code - 48)
    }
    if (i === exponentStart) return undefined
    if (exponentNegative) exponent = -exponent
  }
  if (firstNonZero < 0) return { negative, digits: '', exponent: 0 }
  const pointAt = point < 0 ? mantissaEnd : point
  const place = lastNonZero < pointAt ? pointAt - lastNonZero - 1 : pointAt - lastNonZero
  const digits =
    point > firstNonZero && point < lastNonZero
      ? text.slice(firstNonZero, point) + text.slice(point + 1, lastNonZero + 1)
      : text.slice(firstNonZero, lastNonZero + 1)
  return { negative, digits, exponent: exponent + place }
}

const float = new Float64Array(1)
const words = new Uint32Array(float.buffer)
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1
const lowWord = littleEndian ? 0 : 1
const highWord = littleEndian ? 1 : 0

/**
 * The exact decimal expansion of a positive finite double `m × 2^e`: `m × 2^e` when `e ≥ 0`,
 * else `m × 5^-e × 10^e`. Integers may keep trailing zeros in `digits`.
 */
export function exactDecimal(magnitude: number): { digits: string; exponent: number } {
  float[0] = magnitude
  const high = words[highWord]!
  const low = words[lowWord]!
  const biasedExponent = (high >>> 20) & 0x7ff
  let mantissa = (high & 0xfffff) * 4294967296 + low
  let exponent = -1074
  if (biasedExponent !== 0) {
    mantissa += 4503599627370496
    exponent = biasedExponent - 1075
  }
  // An odd mantissa keeps the power of five as small as possible.
  while (mantissa % 2 === 0) {
    mantissa /= 2
    exponent++
  }
  if (exponent >= 0)
    return { digits: (BigInt(mantissa) << BigInt(exponent)).toString(), exponent: 0 }
  return { digits: (BigInt(mantissa) * 5n ** BigInt(-exponent)).toString(), exponent }
}
