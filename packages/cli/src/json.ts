// JSON text for machine-readable output and for the config file.

/**
 * JSON text in which bigints are decimal strings, so exact fixed-point values survive (and
 * `JSON.stringify` does not throw on them).
 */
export function toJsonText(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item),
    indent,
  )
}

/**
 * JSON text as Python's `json.dumps` writes it with default arguments: one line, `", "` and
 * `": "` separators, non-ASCII characters escaped as `\uXXXX`. The reference CLI writes the
 * config file this way, and both CLIs read each other's files.
 */
export function toPythonJsonText(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return escapeNonAscii(JSON.stringify(value))
  if (typeof value === 'number')
    return Number.isFinite(value) ? JSON.stringify(value) : String(value)
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (Array.isArray(value)) return `[${value.map(toPythonJsonText).join(', ')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, item]) => item !== undefined,
    )
    return `{${entries
      .map(([key, item]) => `${escapeNonAscii(JSON.stringify(key))}: ${toPythonJsonText(item)}`)
      .join(', ')}}`
  }
  return 'null'
}

function escapeNonAscii(text: string): string {
  return text.replace(
    /[\u007f-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
