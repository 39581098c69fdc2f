// Feeds an ONNX session from an on-chain ModelInput the way the inference node does
// (onchain-inference.md §9), and reads its outputs back as exact values.
import {
  type AbiModelInput,
  type AbiNumberTensor,
  type AbiStringTensor,
  BaseError,
  fixedPointToNumber,
} from '@opengradient/core'
import type { InferenceSession, Tensor } from 'onnxruntime-web'

/** The onnxruntime-web module. */
export type OnnxRuntimeWeb = typeof import('onnxruntime-web')

/** The node refuses fixed-point inputs with more decimals. */
const maxInputDecimals = 18n

const integerRanges: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  uint8: [0n, 2n ** 8n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
}

/** An input the node would refuse: the inference cannot be re-run. */
export class FeedError extends BaseError {
  override name = 'FeedError' as const
}

/**
 * The feeds of one run, for every input the session declares, in session order:
 *
 * - a number tensor of that name, converted to the declared element type: `float` rounded once
 *   from the exact decimal, `double` likewise, integers truncated toward zero and range-checked;
 *   more than 18 decimals is refused;
 * - else a string tensor of that name, shaped by its length;
 * - else the input is missing.
 *
 * Tensors the model does not declare are ignored; the shape is fitted to the declared one.
 */
export function buildFeeds(
  ort: OnnxRuntimeWeb,
  session: InferenceSession,
  input: AbiModelInput,
): Record<string, Tensor> {
  // Later tensors of the same name win, as in the node's name-keyed dictionaries.
  const numbers = new Map<string, AbiNumberTensor>(
    input.numbers.map((tensor) => [tensor.name, tensor]),
  )
  const strings = new Map<string, AbiStringTensor>(
    input.strings.map((tensor) => [tensor.name, tensor]),
  )
  const feeds: Record<string, Tensor> = {}
  for (const declared of session.inputMetadata) {
    const numberTensor = numbers.get(declared.name)
    const stringTensor = strings.get(declared.name)
    if (!declared.isTensor)
      throw new FeedError(`Unsupported input type: ${declared.name} is not a tensor.`)
    const declaredShape = declared.shape as readonly (number | string)[]
    if (numberTensor) {
      const shape = fitShape(
        declared.name,
        numberTensor.shape,
        numberTensor.values.length,
        declaredShape,
      )
      feeds[declared.name] = numberFeed(ort, declared.name, declared.type, numberTensor, shape)
    } else if (stringTensor) {
      if (declared.type !== 'string') {
        throw new FeedError(`Input ${declared.name} expects ${declared.type}, got strings.`)
      }
      const shape = fitShape(
        declared.name,
        [stringTensor.values.length],
        stringTensor.values.length,
        declaredShape,
      )
      feeds[declared.name] = new ort.Tensor('string', [...stringTensor.values], shape)
    } else {
      throw new FeedError(`Input not found: ${declared.name}.`)
    }
  }
  return feeds
}

function numberFeed(
  ort: OnnxRuntimeWeb,
  name: string,
  type: Tensor.Type,
  tensor: AbiNumberTensor,
  shape: number[],
): Tensor {
  for (const { decimals } of tensor.values) {
    if (decimals > maxInputDecimals || decimals < 0n) {
      throw new FeedError(`Decimal value greater than precision limit: ${decimals}.`)
    }
  }
  if (type === 'float32') {
    const data = Float32Array.from(tensor.values, ({ value, decimals }) =>
      roundToFloat32(value, 10n ** decimals),
    )
    return new ort.Tensor('float32', data, shape)
  }
  if (type === 'float64') {
    return new ort.Tensor('float64', Float64Array.from(tensor.values, fixedPointToNumber), shape)
  }
  const range = integerRanges[type]
  if (!range) throw new FeedError(`Unsupported input type: ${type} (${name}).`)
  // The node truncates toward zero, as bigint division does.
  const integers = tensor.values.map(({ value, decimals }) => {
    const integer = value / 10n ** decimals
    if (integer < range[0] || integer > range[1]) {
      throw new FeedError(`Value out of range for ${type} in input ${name}: ${integer}.`)
    }
    return integer
  })
  switch (type) {
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(integers), shape)
    case 'uint64':
      return new ort.Tensor('uint64', BigUint64Array.from(integers), shape)
    case 'int8':
      return new ort.Tensor('int8', Int8Array.from(integers, Number), shape)
    case 'uint8':
      return new ort.Tensor('uint8', Uint8Array.from(integers, Number), shape)
    case 'int16':
      return new ort.Tensor('int16', Int16Array.from(integers, Number), shape)
    case 'uint16':
      return new ort.Tensor('uint16', Uint16Array.from(integers, Number), shape)
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(integers, Number), shape)
    default:
      return new ort.Tensor('uint32', Uint32Array.from(integers, Number), shape)
  }
}

/**
 * The shape a tensor of `count` values is fed with: its own when the model declares no shape
 * or the same rank (fixed dimensions must agree); else the declared shape with its one free
 * dimension solved from `count`, or the own shape with leading ones added or removed.
 */
export function fitShape(
  name: string,
  given: readonly number[],
  count: number,
  declared: readonly (number | string)[],
): number[] {
  const product = given.reduce((total, dimension) => total * dimension, 1)
  const show = (shape: readonly (number | string)[]) => `[${shape.join(',')}]`
  if (product !== count) {
    throw new FeedError(
      `Shape mismatch for input ${name}: shape ${show(given)} needs ${product} values, got ${count}.`,
    )
  }
  const fixed = (dimension: number | string): dimension is number =>
    typeof dimension === 'number' && dimension >= 0
  const agrees = (shape: readonly number[]) =>
    shape.every((dimension, index) => {
      const expected = declared[index]
      return expected === undefined || !fixed(expected) || expected === dimension
    })
  if (declared.length === 0) return [...given]
  if (given.length === declared.length) {
    if (agrees(given)) return [...given]
  } else {
    const free = declared.filter((dimension) => !fixed(dimension)).length
    const fixedProduct = declared.reduce<number>(
      (total, dimension) => (fixed(dimension) ? total * dimension : total),
      1,
    )
    if (free === 0 && fixedProduct === count) return declared.map(Number)
    if (free === 1 && fixedProduct > 0 && count % fixedProduct === 0) {
      return declared.map((dimension) => (fixed(dimension) ? dimension : count / fixedProduct))
    }
    const aligned = [...given]
    while (aligned.length < declared.length) aligned.unshift(1)
    while (aligned.length > declared.length && aligned[0] === 1) aligned.shift()
    if (aligned.length === declared.length && agrees(aligned)) return aligned
  }
  throw new FeedError(
    `Shape mismatch for input ${name}: got ${show(given)}, model expects ${show(declared)}.`,
  )
}

/**
 * `numerator / denominator` rounded once to the nearest float32 (ties to even), returned as
 * the float64 that holds it. Going through float64 first would round twice.
 */
export function roundToFloat32(numerator: bigint, denominator: bigint): number {
  if (numerator === 0n) return 0
  const negative = numerator < 0n
  const magnitude = negative ? -numerator : numerator
  const precision = 24
  // The exponent e of the leading bit: 2^e <= magnitude / denominator < 2^(e + 1).
  let exponent = magnitude.toString(2).length - denominator.toString(2).length
  const below =
    exponent >= 0
      ? magnitude < denominator << BigInt(exponent)
      : magnitude << BigInt(-exponent) < denominator
  if (below) exponent--
  // The weight of the last kept bit; subnormals keep 2^-149.
  const unit = Math.max(exponent - (precision - 1), -149)
  const scaledNumerator = unit < 0 ? magnitude << BigInt(-unit) : magnitude
  const scaledDenominator = unit > 0 ? denominator << BigInt(unit) : denominator
  let significand = scaledNumerator / scaledDenominator
  const twiceRemainder = (scaledNumerator % scaledDenominator) * 2n
  if (
    twiceRemainder > scaledDenominator ||
    (twiceRemainder === scaledDenominator && significand % 2n === 1n)
  ) {
    significand++
  }
  const result = Number(significand) * 2 ** unit
  const rounded = result >= 2 ** 128 ? Number.POSITIVE_INFINITY : result
  return negative ? -rounded : rounded
}

/** The elements of a numeric output as exact JS values: floats widened, 64-bit integers as bigint. */
export function numericElements(tensor: Tensor): (number | bigint)[] | undefined {
  switch (tensor.type) {
    case 'float32':
    case 'float64':
    case 'int8':
    case 'uint8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
      return Array.from(tensor.data as ArrayLike<number>)
    case 'int64':
    case 'uint64':
      return Array.from(tensor.data as BigInt64Array | BigUint64Array)
    case 'float16':
      return Array.from(tensor.data as Uint16Array, float16ToNumber)
    default:
      return undefined
  }
}

function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >> 10) & 0x1f
  const fraction = bits & 0x3ff
  if (exponent === 0) return sign * fraction * 2 ** -24
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN
  return sign * (1024 + fraction) * 2 ** (exponent - 25)
}
