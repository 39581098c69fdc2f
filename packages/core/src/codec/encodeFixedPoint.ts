import type { InvalidInputErrorType } from '../errors/input.js'
import type { FixedPointNumber } from '../types/tensors.js'
import { int128Max, int128Min, maxInputDecimals } from './constants.js'
import { type DecimalParts, exactDecimal, parseDecimal } from './decimal.js'
import { describeValue, type ElementLocation, elementError } from './elementError.js'

export type EncodeFixedPointParameters = {
  /**
   * Encode numbers by their shortest decimal that round-trips as float32, as the reference does
   * for numpy float32 input: `0.1` gives `(1, 1)` either way, but the float32 value of
   * `0.30000001192092896` also gives `(3, 1)`. Numbers are rounded to float32 first.
   * @default false
   */
  float32?: boolean | undefined
}

export type EncodeFixedPointReturnType = FixedPointNumber

export type EncodeFixedPointErrorType = InvalidInputErrorType

/**
 * Encodes a number as the chain's fixed-point pair `value × 10^-decimals`, with the reference's
 * input rule: the shortest decimal that round-trips, trailing zeros stripped, integers with
 * `decimals` 0.
 *
 * - A `number` is encoded by the digits of `String(x)` (the same digits as Python's `repr`),
 *   parsed exactly; it is never scaled by powers of ten in floating point. Integers beyond
 *   `Number.MAX_SAFE_INTEGER` are encoded by their shortest decimal, like a Python float: pass a
 *   `bigint` or a decimal string for an exact large integer.
 * - A `bigint` is exact, with `decimals` 0.
 * - A decimal string (`"123.4500"`, `"-0.5"`, `"1e-7"`, `"+3"`) is exact.
 *
 * Throws an `InvalidInputError` for NaN, ±Infinity, text that is not a decimal number, more
 * than 18 decimals (the node rejects them) and values outside int128.
 *
 * @example
 * ```ts
 * encodeFixedPoint(1.5) // { value: 15n, decimals: 1n }
 * encodeFixedPoint(1e21) // { value: 1000000000000000000000n, decimals: 0n }
 * encodeFixedPoint('123.4500') // { value: 12345n, decimals: 2n }
 * encodeFixedPoint(2n ** 70n) // { value: 1180591620717411303424n, decimals: 0n }
 * encodeFixedPoint(Math.fround(0.1), { float32: true }) // { value: 1n, decimals: 1n }
 * ```
 */
export function encodeFixedPoint(
  value: number | bigint | string,
  parameters?: EncodeFixedPointParameters,
): EncodeFixedPointReturnType {
  if (typeof value === 'number') {
    return parameters?.float32 === true
      ? encodeFloat32(value, undefined)
      : encodeNumber(value, undefined)
  }
  if (typeof value === 'bigint') return encodeBigInt(value, undefined)
  if (typeof value === 'string') return encodeDecimalString(value, undefined)
  throw elementError(
    `Cannot encode ${describeValue(value)} as a fixed-point number.`,
    undefined,
    'Pass a number, a bigint or a decimal string.',
  )
}

const maxSafeInteger = Number.MAX_SAFE_INTEGER
// While the digits read so far are at most this, one more digit keeps them below 2^53, so the
// running value stays an exact integer.
const accumulateLimit = 900719925474098
const twoPow32 = 4294967296
const powersOfTen = [1, 10, 100, 1000, 10000, 100000, 1000000]
const decimalsOf = Array.from({ length: maxInputDecimals + 1 }, (_, decimals) => BigInt(decimals))

// An 8-byte scratch buffer turns two 32-bit words into a bigint with one allocation, faster than
// `BigInt(number)` and much faster than `BigInt(string)`, which 17-digit values would need.
const scratch = new ArrayBuffer(8)
const scratchWords = new Uint32Array(scratch)
const scratchInt64 = new BigInt64Array(scratch)
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1
const lowWord = littleEndian ? 0 : 1
const highWord = littleEndian ? 1 : 0

/**
 * The `number` rule of {@link encodeFixedPoint}, with the location of the element for errors.
 *
 * The fast path covers integers up to 2^53 and the numbers that `Number#toString` writes in plain
 * notation (1e-6 ≤ |x| < 1e21). It reads only the fraction digits: the integer part of the
 * shortest decimal of a non-integer equals `Math.trunc(x)`, since no integer lies in the
 * interval of decimals that round to `x`. Every other number takes the general path.
 */
export function encodeNumber(x: number, location: ElementLocation | undefined): FixedPointNumber {
  let negative = false
  let magnitude = x
  if (x < 0) {
    negative = true
    magnitude = -x
  }
  const integer = Math.trunc(magnitude)
  // The digits read so far, as an exact integer below 2^53, then up to two more digits aside.
  let leading = integer
  let trailing = 0
  let trailingLength = 0
  let decimals = 0
  if (integer === magnitude) {
    if (magnitude > maxSafeInteger) return encodeNumberInGeneral(x, location)
  } else if (magnitude >= 1e-6 && magnitude < 1e21) {
    const text = String(magnitude)
    const length = text.length
    const point = text.indexOf('.')
    decimals = length - 1 - point
    if (decimals > maxInputDecimals) return encodeNumberInGeneral(x, location)
    for (let i = point + 1; i < length; i++) {
      const digit = text.charCodeAt(i) - 48
      if (leading <= accumulateLimit) leading = leading * 10 + digit
      else {
        trailing = trailing * 10 + digit
        trailingLength++
      }
    }
  } else return encodeNumberInGeneral(x, location)

  // value = leading × 10^trailingLength + trailing, as two 32-bit words. Every operation below is
  // on integers under 2^53, hence exact.
  let high: number
  let low: number
  if (trailingLength === 0) {
    high = (leading / twoPow32) >>> 0
    low = leading >>> 0
  } else {
    if (trailingLength >= powersOfTen.length) return encodeNumberInGeneral(x, location)
    const scale = powersOfTen[trailingLength]!
    const lowPart = (leading >>> 0) * scale + trailing
    low = lowPart >>> 0
    high = ((leading / twoPow32) >>> 0) * scale + ((lowPart / twoPow32) >>> 0)
    if (high >= 2147483648) return encodeNumberInGeneral(x, location)
  }
  if (negative) {
    // Two's complement of the 64-bit word pair.
    high = (~high + (low === 0 ? 1 : 0)) >>> 0
    low = -low >>> 0
  }
  scratchWords[lowWord] = low
  scratchWords[highWord] = high
  return { value: scratchInt64[0]!, decimals: decimalsOf[decimals]! }
}

/** Every number, through its `String(x)` digits: exponent notation, large integers, errors. */
function encodeNumberInGeneral(x: number, location: ElementLocation | undefined): FixedPointNumber {
  if (Number.isNaN(x) || !Number.isFinite(x)) {
    throw elementError(`Cannot encode ${x} as a fixed-point number.`, location)
  }
  const text = String(x)
  return fromDecimalParts(parseDecimal(text)!, text, location)
}

/**
 * The float32 rule of {@link encodeFixedPoint}, as numpy prints a float32: the shortest decimal
 * (at most 9 significant digits) that rounds back to the same float32, the nearest one of that
 * length, and on an exact tie the one whose last digit is even. `toPrecision(p)` gives the
 * nearest decimal of p digits but breaks ties upwards, so ties are settled here.
 */
export function encodeFloat32(x: number, location: ElementLocation | undefined): FixedPointNumber {
  const single = Math.fround(x)
  if (Number.isNaN(single) || !Number.isFinite(single)) {
    if (Number.isFinite(x)) {
      throw elementError(
        `Cannot encode ${x} as a float32 fixed-point number: it is beyond the float32 range.`,
        location,
      )
    }
    throw elementError(`Cannot encode ${x} as a fixed-point number.`, location)
  }
  // Integers up to 2^24 are exact in float32 and are their own shortest decimal.
  if (Number.isInteger(single) && Math.abs(single) <= 16777216)
    return encodeNumber(single, location)
  const tie = tieDigits(single)
  for (let precision = 1; precision <= 9; precision++) {
    // A decimal of at most 9 digits round-trips through float64, so encodeNumber reads back
    // exactly its digits.
    const nearest = Number(single.toPrecision(precision))
    if (tie !== undefined && tie.digits.length === precision + 1) {
      const lower = Number(
        `${tie.negative ? '-' : ''}${tie.digits.slice(0, precision)}e${tie.exponent + 1}`,
      )
      const lowerIsEven = (tie.digits.charCodeAt(precision - 1) - 48) % 2 === 0
      const [first, second] = lowerIsEven ? [lower, nearest] : [nearest, lower]
      if (Math.fround(first) === single) return encodeNumber(first, location)
      if (Math.fround(second) === single) return encodeNumber(second, location)
      continue
    }
    if (Math.fround(nearest) === single) return encodeNumber(nearest, location)
  }
  return encodeNumber(single, location)
}

/**
 * The digits of a float32 whose exact value has at most 10 significant digits ending in 5, the
 * only values that lie halfway between two decimals of at most 9 digits. Such a value is its own
 * shortest float64 decimal, so `String` gives the candidate; the exact expansion confirms it.
 */
function tieDigits(single: number): DecimalParts | undefined {
  const shortest = parseDecimal(String(single))!
  const { digits } = shortest
  if (digits.length > 10 || digits.charCodeAt(digits.length - 1) !== 53) return undefined
  const exact = exactDecimal(Math.abs(single))
  let end = exact.digits.length
  while (exact.digits.charCodeAt(end - 1) === 48) end--
  const exactExponent = exact.exponent + exact.digits.length - end
  return exact.digits.slice(0, end) === digits && exactExponent === shortest.exponent
    ? shortest
    : undefined
}

/** The `bigint` rule of {@link encodeFixedPoint}. */
export function encodeBigInt(
  value: bigint,
  location: ElementLocation | undefined,
): FixedPointNumber {
  if (value > int128Max || value < int128Min) throw outOfRange(`${value}`, location)
  return { value, decimals: 0n }
}

/** The decimal string rule of {@link encodeFixedPoint}. */
export function encodeDecimalString(
  text: string,
  location: ElementLocation | undefined,
): FixedPointNumber {
  const parts = parseDecimal(text)
  if (parts === undefined) {
    throw elementError(
      `${describeValue(text)} is not a decimal number.`,
      location,
      'Write digits with an optional sign, decimal point and exponent, such as "-12.5e-3".',
    )
  }
  return fromDecimalParts(parts, describeValue(text), location)
}

/** Applies the exponent rule of the reference: `decimals = -exponent` when negative, else 0. */
function fromDecimalParts(
  parts: DecimalParts,
  shown: string,
  location: ElementLocation | undefined,
): FixedPointNumber {
  const { negative, digits, exponent } = parts
  if (digits === '') return { value: 0n, decimals: 0n }
  // int128 holds at most 39 digits; checking the length first keeps huge exponents cheap.
  if (exponent >= 0) {
    if (digits.length + exponent > 39) throw outOfRange(shown, location)
    const magnitude = BigInt(digits) * 10n ** BigInt(exponent)
    return { value: checkRange(negative ? -magnitude : magnitude, shown, location), decimals: 0n }
  }
  const decimals = -exponent
  if (decimals > maxInputDecimals) {
    throw elementError(
      `Cannot encode ${shown} as a fixed-point number: it has ${decimals} decimals and the network accepts at most ${maxInputDecimals}.`,
      location,
    )
  }
  if (digits.length > 39) throw outOfRange(shown, location)
  const magnitude = BigInt(digits)
  return {
    value: checkRange(negative ? -magnitude : magnitude, shown, location),
    decimals: decimalsOf[decimals]!,
  }
}

function checkRange(value: bigint, shown: string, location: ElementLocation | undefined): bigint {
  if (value > int128Max || value < int128Min) throw outOfRange(shown, location)
  return value
}

function outOfRange(shown: string, location: ElementLocation | undefined) {
  return elementError(
    `Cannot encode ${shown} as a fixed-point number: it does not fit in int128.`,
    location,
    'Fixed-point values lie between -2^127 and 2^127 - 1 (about ±1.7e38).',
  )
}
