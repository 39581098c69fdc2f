import { InvalidInputError } from '@opengradient/core'

/**
 * Encodes one path segment. Names that URL parsers would read as `.` or `..` (also when
 * percent-encoded) cannot be sent and are refused, as are empty names.
 *
 * @example
 * ```ts
 * pathSegment('my model/v2', 'model') // 'my%20model%2Fv2'
 * ```
 */
export function pathSegment(value: string, what: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidInputError(`The ${what} must be a non-empty string.`)
  }
  if (value === '.' || value === '..') {
    throw new InvalidInputError(`"${value}" cannot be a ${what}: URLs cannot carry it.`)
  }
  return encodeURIComponent(value)
}

/** Joins a base URL and a path that starts with `/`, without doubling the slash. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`
}
