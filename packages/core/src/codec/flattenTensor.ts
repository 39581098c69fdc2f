import type { InvalidInputErrorType } from '../errors/input.js'
import type {
  FixedPointNumber,
  ModelInputValue,
  NumberTensorInput,
  NumericTypedArray,
  StringTensorInput,
} from '../types/tensors.js'
import { uint32Max } from './constants.js'
import { describeValue, type ElementLocation, elementError, tensorError } from './elementError.js'
import {
  encodeBigInt,
  encodeDecimalString,
  encodeFloat32,
  encodeNumber,
} from './encodeFixedPoint.js'

export type FlattenTensorParameters = {
  /** Name of the tensor, for error messages. */
  name?: string | undefined
}

/** One tensor, flattened row-major, with its numbers encoded as fixed-point pairs. */
export type FlattenTensorReturnType =
  | { type: 'number'; shape: number[]; values: FixedPointNumber[] }
  | { type: 'string'; shape: number[]; values: string[] }

export type FlattenTensorErrorType = InvalidInputErrorType

/**
 * Flattens one tensor input row-major (C order, last dimension fastest), keeps its shape and
 * encodes its numbers with the fixed-point input rule of {@link encodeFixedPoint}.
 *
 * - A number or bigint is a number tensor of shape `[1]`; a string, a string tensor of shape `[1]`.
 * - Nested arrays must be rectangular and hold only numbers and bigints, or only strings. An empty
 *   array is a number tensor of shape `[0]` with no values; nesting cannot show dimensions after
 *   a zero, so give `shape` for a tensor such as `[0, 3]`.
 * - A typed array has shape `[length]`; `Float32Array` elements use their shortest float32
 *   decimal, `BigInt64Array` and `BigUint64Array` elements are exact. Typed arrays may also be the
 *   rows of a nested array.
 * - `{ type: 'number', values, shape? }` also takes decimal strings (exact) as elements;
 *   `{ type: 'string', values, shape? }` takes strings. A given `shape` must hold exactly as many
 *   elements as there are values, which are read row-major.
 *
 * Throws an `InvalidInputError` naming the tensor and the element (nested path and flat index)
 * for ragged arrays, mixed strings and numbers, booleans, `null`, objects and every number that
 * {@link encodeFixedPoint} rejects.
 *
 * @example
 * ```ts
 * flattenTensor([[1, 2], [3, 4.5]])
 * // { type: 'number', shape: [2, 2], values: [{ value: 1n, decimals: 0n }, ..., { value: 45n, decimals: 1n }] }
 * flattenTensor({ type: 'number', values: new Float32Array([0.1, 0.2]), shape: [1, 2] })
 * // { type: 'number', shape: [1, 2], values: [{ value: 1n, decimals: 1n }, { value: 2n, decimals: 1n }] }
 * ```
 */
export function flattenTensor(
  value: ModelInputValue,
  parameters: FlattenTensorParameters = {},
): FlattenTensorReturnType {
  const tensorName = parameters.name
  const location: ElementLocation = { tensorName, index: 0, shape: [] }
  const input = value as unknown
  switch (typeof input) {
    case 'number':
      return { type: 'number', shape: [1], values: [encodeNumber(input, location)] }
    case 'bigint':
      return { type: 'number', shape: [1], values: [encodeBigInt(input, location)] }
    case 'string':
      return { type: 'string', shape: [1], values: [input] }
  }
  if (Array.isArray(input) || isTypedArray(input)) return flattenArray(input, 'auto', location)
  if (typeof input === 'object' && input !== null && 'type' in input) {
    const type = (input as { type: unknown }).type
    if (type === 'number' || type === 'string') {
      return flattenExplicit(input as NumberTensorInput | StringTensorInput, location)
    }
    throw tensorError(`The tensor type ${describeValue(type)} is not supported.`, {
      tensorName,
      details: 'Use "number" or "string".',
    })
  }
  throw tensorError(`Cannot use ${describeValue(input)} as a tensor.`, {
    tensorName,
    details:
      'A tensor is a number, a bigint, a string, nested arrays, a typed array or a { type, values, shape? } object.',
  })
}

/**
 * What leaves may be: `auto` decides from the first leaf (numbers or strings), `number` takes
 * numbers and bigints, `decimal` also decimal strings, `string` only strings.
 */
type LeafKind = 'auto' | 'number' | 'decimal' | 'string'

function flattenExplicit(
  tensor: NumberTensorInput | StringTensorInput,
  location: ElementLocation,
): FlattenTensorReturnType {
  const values = tensor.values as unknown
  const kind = tensor.type === 'number' ? 'decimal' : 'string'
  let flat: FlattenTensorReturnType
  if (Array.isArray(values) || isTypedArray(values)) flat = flattenArray(values, kind, location)
  else if (kind === 'string') {
    if (typeof values !== 'string') throw wrongLeaf(values, 'string', location)
    flat = { type: 'string', shape: [1], values: [values] }
  } else flat = { type: 'number', shape: [1], values: [encodeLeaf(values, 'decimal', location)] }

  if (tensor.shape === undefined) return flat
  const shape = checkShape(tensor.shape, location.tensorName)
  const size = shape.reduce((product, dimension) => product * dimension, 1)
  if (size !== flat.values.length) {
    throw tensorError(
      `The shape [${shape.join(', ')}] holds ${count(size, 'element')} but ${count(flat.values.length, 'value')} ${flat.values.length === 1 ? 'was' : 'were'} given.`,
      { tensorName: location.tensorName },
    )
  }
  flat.shape = shape
  return flat
}

function flattenArray(
  root: readonly unknown[] | NumericTypedArray,
  kind: LeafKind,
  location: ElementLocation,
): FlattenTensorReturnType {
  // The shape follows the first element at every depth; the walk then checks every other array.
  const shape: number[] = []
  let node: unknown = root
  while (Array.isArray(node) || isTypedArray(node)) {
    shape.push(node.length)
    if (node.length === 0) break
    node = node[0]
  }
  location.shape = shape
  location.index = 0
  const leafKind = kind !== 'auto' ? kind : typeof node === 'string' ? 'string' : 'number'

  if (leafKind === 'string') {
    const values: string[] = []
    walk(root, 0, shape, [], location, {
      leaf(leaf) {
        if (typeof leaf !== 'string') throw wrongLeaf(leaf, 'string', location)
        values.push(leaf)
      },
      typedArray(array) {
        throw wrongLeaf(array[0], 'string', location)
      },
    })
    return { type: 'string', shape, values }
  }
  const values: FixedPointNumber[] = []
  walk(root, 0, shape, [], location, {
    leaf(leaf) {
      values.push(encodeLeaf(leaf, leafKind, location))
    },
    typedArray(array) {
      const encode = array instanceof Float32Array ? encodeFloat32 : encodeNumber
      if (array instanceof BigInt64Array || array instanceof BigUint64Array) {
        for (let i = 0; i < array.length; i++, location.index++) {
          values.push(encodeBigInt(array[i]!, location))
        }
        return
      }
      const numbers = array as Exclude<NumericTypedArray, BigInt64Array | BigUint64Array>
      for (let i = 0; i < numbers.length; i++, location.index++) {
        values.push(encode(numbers[i]!, location))
      }
    },
  })
  return { type: 'number', shape, values }
}

type Visitor = {
  /** Called for each element of a plain array at the last depth; `location.index` is its index. */
  leaf(leaf: unknown): void
  /** Called for a typed array at the last depth; advances `location.index` past its elements. */
  typedArray(array: NumericTypedArray): void
}

/** Visits the leaves in row-major order, checking that every array has the expected length. */
function walk(
  node: readonly unknown[] | NumericTypedArray,
  depth: number,
  shape: readonly number[],
  path: number[],
  location: ElementLocation,
  visitor: Visitor,
): void {
  const length = shape[depth]!
  if (node.length !== length) {
    throw tensorError(
      `Nested arrays must be rectangular: the array at [${path.join(', ')}] has ${count(node.length, 'element')} where ${length} ${length === 1 ? 'is' : 'are'} expected.`,
      { tensorName: location.tensorName, index: [...path] },
    )
  }
  if (depth === shape.length - 1) {
    if (isTypedArray(node)) {
      visitor.typedArray(node)
      return
    }
    for (let i = 0; i < length; i++, location.index++) {
      const leaf = node[i]
      if (Array.isArray(leaf) || isTypedArray(leaf)) {
        throw tensorError(
          `Nested arrays must be rectangular: found an array at [${[...path, i].join(', ')}] where a single element is expected.`,
          { tensorName: location.tensorName, index: [...path, i] },
        )
      }
      visitor.leaf(leaf)
    }
    return
  }
  for (let i = 0; i < length; i++) {
    const child = (node as readonly unknown[])[i]
    path.push(i)
    if (!Array.isArray(child) && !isTypedArray(child)) {
      throw tensorError(
        `Nested arrays must be rectangular: found ${describeValue(child)} at [${path.join(', ')}] where an array of ${count(shape[depth + 1]!, 'element')} is expected.`,
        { tensorName: location.tensorName, index: [...path] },
      )
    }
    walk(child, depth + 1, shape, path, location, visitor)
    path.pop()
  }
}

function encodeLeaf(leaf: unknown, kind: LeafKind, location: ElementLocation): FixedPointNumber {
  if (typeof leaf === 'number') return encodeNumber(leaf, location)
  if (typeof leaf === 'bigint') return encodeBigInt(leaf, location)
  if (typeof leaf === 'string' && kind === 'decimal') return encodeDecimalString(leaf, location)
  throw wrongLeaf(leaf, 'number', location)
}

function wrongLeaf(leaf: unknown, expected: 'number' | 'string', location: ElementLocation) {
  const shown = describeValue(leaf)
  if (typeof leaf === 'boolean') {
    return elementError(
      `Booleans are not tensor elements: found ${shown}.`,
      location,
      'Use 0 and 1 if the model takes numbers.',
    )
  }
  if (expected === 'number' && typeof leaf === 'string') {
    return elementError(
      `A tensor cannot mix numbers and strings: found the string ${shown} in a number tensor.`,
      location,
      'To give exact numbers as text, use { type: "number", values: [...] } with decimal strings.',
    )
  }
  if (expected === 'string' && (typeof leaf === 'number' || typeof leaf === 'bigint')) {
    return elementError(
      `A tensor cannot mix numbers and strings: found the number ${shown} in a string tensor.`,
      location,
    )
  }
  return elementError(`Found ${shown}, which is not a tensor element.`, location)
}

function checkShape(shape: unknown, tensorName: string | undefined): number[] {
  if (!Array.isArray(shape)) {
    throw tensorError(`The shape must be an array of dimensions, not ${describeValue(shape)}.`, {
      tensorName,
    })
  }
  for (const dimension of shape) {
    if (
      typeof dimension !== 'number' ||
      !Number.isInteger(dimension) ||
      dimension < 0 ||
      dimension > uint32Max
    ) {
      throw tensorError(
        `The shape dimension ${describeValue(dimension)} is not an integer from 0 to ${uint32Max}.`,
        { tensorName },
      )
    }
  }
  return [...shape] as number[]
}

function count(amount: number, noun: string): string {
  return `${amount} ${noun}${amount === 1 ? '' : 's'}`
}

function isTypedArray(value: unknown): value is NumericTypedArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView)
}
