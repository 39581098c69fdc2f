import { InvalidInputError, type InvalidInputErrorType } from '../errors/input.js'
import type { NestedArray } from '../types/tensors.js'
import { describeValue } from './elementError.js'

export type ReshapeTensorParameters<element> = {
  shape: readonly number[]
  data: ArrayLike<element>
}

/** Nested arrays for a tensor of rank 1 or more; the single element for rank 0 (shape `[]`). */
export type ReshapeTensorReturnType<element> = NestedArray<element> | element

export type ReshapeTensorErrorType = InvalidInputErrorType

// Nesting builds one array per index prefix; this bound keeps a hostile shape such as
// [4294967295, 0] (no values, billions of empty arrays) from exhausting memory.
const maxArrays = 16_777_216

/**
 * Nests a decoded tensor's flat row-major `data` by its `shape` (C order, last dimension
 * fastest), for display or for code that wants nested arrays.
 *
 * Throws an `InvalidInputError` when the shape does not hold exactly `data.length` elements.
 *
 * @example
 * ```ts
 * reshapeTensor({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }) // [[1, 2, 3], [4, 5, 6]]
 * reshapeTensor({ shape: [], data: [7] }) // 7
 * ```
 */
export function reshapeTensor<element>(
  tensor: ReshapeTensorParameters<element>,
): ReshapeTensorReturnType<element> {
  const { shape, data } = tensor
  let size = 1
  let arrays = 1
  for (const dimension of shape) {
    if (!Number.isInteger(dimension) || dimension < 0) {
      throw new InvalidInputError(
        `The shape dimension ${describeValue(dimension)} is not a non-negative integer.`,
      )
    }
    size *= dimension
    arrays += size
  }
  if (size !== data.length) {
    throw new InvalidInputError(
      `The shape [${shape.join(', ')}] does not fit the data: the shape holds ${size}, the data has ${data.length}.`,
    )
  }
  if (shape.length === 0) return data[0]!
  if (arrays > maxArrays + data.length) {
    throw new InvalidInputError(`The shape [${shape.join(', ')}] is too large to nest.`)
  }
  return nest(data, shape, 0, 0)
}

function nest<element>(
  data: ArrayLike<element>,
  shape: readonly number[],
  depth: number,
  offset: number,
): NestedArray<element> {
  const length = shape[depth]!
  if (depth === shape.length - 1) return Array.prototype.slice.call(data, offset, offset + length)
  let stride = 1
  for (let axis = depth + 1; axis < shape.length; axis++) stride *= shape[axis]!
  const rows: NestedArray<element>[] = []
  for (let i = 0; i < length; i++) rows.push(nest(data, shape, depth + 1, offset + i * stride))
  return rows
}
