// Image bytes from what servers send: `data:` URIs, base64 text and magic numbers.

/** The media type an image's first bytes announce (PNG, JPEG, GIF, WebP), else `undefined`. */
export function sniffImageMediaType(bytes: Uint8Array): string | undefined {
  const starts = (...prefix: number[]) => prefix.every((byte, index) => bytes[index] === byte)
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png'
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif'
  if (
    starts(0x52, 0x49, 0x46, 0x46) &&
    [0x57, 0x45, 0x42, 0x50].every((b, i) => bytes[8 + i] === b)
  )
    return 'image/webp'
  return undefined
}

/**
 * Decodes a `data:<mime>;base64,<data>` URI (or percent-encoded text data). Returns `undefined`
 * for anything else.
 *
 * @example
 * ```ts
 * const decoded = decodeDataUri('data:image/png;base64,iVBORw0KGgo=')
 * // { mediaType: 'image/png', bytes: Uint8Array(8) }
 * ```
 */
export function decodeDataUri(
  uri: string,
): { mediaType: string | undefined; bytes: Uint8Array } | undefined {
  const match = /^data:([^;,]+)?((?:;[^;,]*)*?)(;base64)?,(.*)$/s.exec(uri)
  if (!match) return undefined
  const data = match[4] ?? ''
  const bytes = match[3]
    ? Uint8Array.from(Buffer.from(data, 'base64'))
    : new TextEncoder().encode(decodeURIComponent(data))
  return { mediaType: match[1]?.trim().toLowerCase() || undefined, bytes }
}
