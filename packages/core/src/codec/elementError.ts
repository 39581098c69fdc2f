// Builds the InvalidInputError of one bad tensor element, naming the tensor and where the element sits.

import { InvalidInputError } from '../errors/input.js'

/**
 * Where an element sits while a tensor is walked. The walk updates `index` in place, so one
 * object serves a whole tensor and errors cost nothing until they happen.
 */
export type ElementLocation = {
  tensorName: string | undefined
  /** Row-major flat index of the current element. */
  index: number
  /** Shape used to turn the flat index into a nested path for tensors of rank 2 and more. */
  shape: readonly number[]
}

export function elementError(
  shortMessage: string,
  location: ElementLocation | undefined,
  details?: string | undefined,
): InvalidInputError {
  if (location === undefined) return new InvalidInputError(shortMessage, { details })
  const { tensorName, index, shape } = location
  if (shape.length < 2) return new InvalidInputError(shortMessage, { tensorName, index, details })
  return new InvalidInputError(shortMessage, {
    tensorName,
    index: unravelIndex(index, shape),
    details,
    metaMessages: [`Flat index: ${index}`],
  })
}

/** An error about a whole tensor (its shape, its type) or about one nested array in it. */
export function tensorError(
  shortMessage: string,
  parameters: {
    tensorName: string | undefined
    index?: readonly number[] | undefined
    details?: string | undefined
  },
): InvalidInputError {
  return new InvalidInputError(shortMessage, parameters)
}

/** The nested path `[i0, i1, ...]` of a row-major flat index. */
export function unravelIndex(index: number, shape: readonly number[]): number[] {
  const path = new Array<number>(shape.length)
  let rest = index
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const size = shape[axis]!
    path[axis] = size === 0 ? 0 : rest % size
    rest = size === 0 ? 0 : Math.floor(rest / size)
  }
  return path
}

/** A short, safe rendering of any value for an error message. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value)
    case 'bigint':
      return `${value}n`
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
    case 'symbol':
      return 'a symbol'
    case 'function':
      return 'a function'
    default:
      if (value === null) return 'null'
      if (Array.isArray(value)) return 'an array'
      return 'an object'
  }
}
