// A streaming multipart/form-data reader: parts are read as they arrive, so a file part of any
// size passes through in constant memory.

/** A malformed body; the route answers 400 with the message. */
export class MultipartError extends Error {
  override name = 'MultipartError'
}

/** One part's headers. */
export type MultipartPartHeaders = {
  /** The `name` of its Content-Disposition. */
  name: string | undefined
  /** The `filename` of its Content-Disposition (`filename*` preferred). */
  fileName: string | undefined
  contentType: string | undefined
}

/** Limits that keep a malformed or hostile body from using memory. */
const maxHeaderBytes = 16 * 1024
const maxFieldBytes = 1024 * 1024
const maxParts = 100

/**
 * The boundary of a `multipart/form-data` Content-Type, or `undefined` when the type is not
 * multipart or has none.
 *
 * @example
 * ```ts
 * multipartBoundary('multipart/form-data; boundary=----abc') // '----abc'
 * ```
 */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined
  const match = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType)
  const boundary = match?.[1] ?? match?.[2]
  return boundary && boundary.length <= 70 ? boundary : undefined
}

/**
 * Reads a multipart body up to the first part named `fieldName` and returns its headers and
 * its content as a stream. Parts before it are skipped (up to 1 MiB each).
 *
 * The content stream ends only once the whole body has been checked: the closing delimiter
 * read, and any later parts skipped. A consumer that stores the content therefore never keeps
 * the bytes of a body that was cut off or malformed: the stream fails instead of ending.
 *
 * Returns `undefined` when the body has no such part.
 *
 * @example
 * ```ts
 * const part = await readMultipartFile(request, boundary, 'file')
 * if (part) await store.add(part.content)
 * ```
 */
export async function readMultipartFile(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  fieldName: string,
): Promise<(MultipartPartHeaders & { content: AsyncIterable<Uint8Array> }) | undefined> {
  const reader = createReader(source)
  // The first delimiter has no CRLF before it; the reader starts as if one had been read.
  const delimiter = Buffer.from(`\r\n--${boundary}`)
  reader.unshift(Buffer.from('\r\n'))
  await skipUntil(reader, delimiter, Number.POSITIVE_INFINITY)
  for (let index = 0; index < maxParts; index++) {
    if (await readsClose(reader)) return undefined
    const headers = await readPartHeaders(reader)
    if (headers.name === fieldName) {
      return {
        ...headers,
        content: (async function* () {
          yield* readUntil(reader, delimiter)
          await skipRemainingParts(reader, delimiter, maxParts - index - 1)
        })(),
      }
    }
    await skipUntil(reader, delimiter, maxFieldBytes)
  }
  throw new MultipartError(`The body has more than ${maxParts} parts.`)
}

type Reader = {
  /** Bytes read from the source and not yet consumed. */
  buffer: Buffer
  /** Reads more from the source into `buffer`; false at its end. */
  fill(): Promise<boolean>
  /** The next chunk of the source, not added to `buffer`; undefined at its end. */
  next(): Promise<Buffer | undefined>
  unshift(bytes: Buffer): void
}

function createReader(source: AsyncIterable<Uint8Array>): Reader {
  const iterator = source[Symbol.asyncIterator]()
  const reader: Reader = {
    buffer: Buffer.alloc(0),
    async next() {
      const next = await iterator.next()
      if (next.done) return undefined
      return Buffer.isBuffer(next.value)
        ? next.value
        : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength)
    },
    async fill() {
      const chunk = await reader.next()
      if (!chunk) return false
      reader.buffer = reader.buffer.length === 0 ? chunk : Buffer.concat([reader.buffer, chunk])
      return true
    },
    unshift(bytes) {
      reader.buffer = Buffer.concat([bytes, reader.buffer])
    },
  }
  return reader
}

/**
 * Yields the bytes before the next `delimiter` and consumes the delimiter. Source chunks pass
 * through as views, never copied: only the few bytes where a delimiter could straddle two
 * chunks are joined to be searched.
 */
async function* readUntil(reader: Reader, delimiter: Buffer): AsyncGenerator<Uint8Array> {
  const overlap = delimiter.length - 1
  for (;;) {
    const found = reader.buffer.indexOf(delimiter)
    if (found !== -1) {
      if (found > 0) yield reader.buffer.subarray(0, found)
      reader.buffer = reader.buffer.subarray(found + delimiter.length)
      return
    }
    // Everything but the last `overlap` bytes is content: a delimiter cannot start there.
    const safe = reader.buffer.length - overlap
    if (safe > 0) {
      const passed = reader.buffer.subarray(0, safe)
      reader.buffer = reader.buffer.subarray(safe)
      yield passed
    }
    const next = await reader.next()
    if (!next) {
      throw new MultipartError('The body ended inside a part, before its closing boundary.')
    }
    const tail = reader.buffer
    if (next.length < overlap) {
      reader.buffer = Buffer.concat([tail, next])
      continue
    }
    // A delimiter starting in the tail ends within the first `overlap` bytes of the chunk.
    const joint = Buffer.concat([tail, next.subarray(0, overlap)])
    const straddling = joint.indexOf(delimiter)
    if (straddling !== -1 && straddling < tail.length) {
      if (straddling > 0) yield tail.subarray(0, straddling)
      reader.buffer = next.subarray(straddling + delimiter.length - tail.length)
      return
    }
    if (tail.length > 0) yield tail
    reader.buffer = next
  }
}

/** Consumes everything up to and including the next delimiter, at most `limit` bytes of it. */
async function skipUntil(reader: Reader, delimiter: Buffer, limit: number): Promise<void> {
  let skipped = 0
  for await (const chunk of readUntil(reader, delimiter)) {
    skipped += chunk.byteLength
    if (skipped > limit) throw new MultipartError(`A form field is larger than ${limit} bytes.`)
  }
}

/** Reads the two bytes after a delimiter: `--` closes the body, CRLF starts a part. */
async function readsClose(reader: Reader): Promise<boolean> {
  while (reader.buffer.length < 2) {
    if (!(await reader.fill())) throw new MultipartError('The body ended after a boundary.')
  }
  const marker = reader.buffer.subarray(0, 2).toString('latin1')
  reader.buffer = reader.buffer.subarray(2)
  if (marker === '--') return true
  if (marker === '\r\n') return false
  throw new MultipartError('A boundary is followed by neither CRLF nor "--".')
}

async function readPartHeaders(reader: Reader): Promise<MultipartPartHeaders> {
  const end = Buffer.from('\r\n\r\n')
  // A part without headers starts with the blank line at once.
  for (;;) {
    if (reader.buffer.length >= 2 && reader.buffer[0] === 0x0d && reader.buffer[1] === 0x0a) {
      reader.buffer = reader.buffer.subarray(2)
      return { name: undefined, fileName: undefined, contentType: undefined }
    }
    const found = reader.buffer.indexOf(end)
    if (found !== -1) {
      const text = reader.buffer.subarray(0, found).toString('utf8')
      reader.buffer = reader.buffer.subarray(found + end.length)
      return parseHeaders(text)
    }
    if (reader.buffer.length > maxHeaderBytes) {
      throw new MultipartError(`The headers of a part are larger than ${maxHeaderBytes} bytes.`)
    }
    if (!(await reader.fill())) throw new MultipartError('The body ended inside part headers.')
  }
}

function parseHeaders(text: string): MultipartPartHeaders {
  const headers = new Map<string, string>()
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon <= 0) throw new MultipartError(`A part header line is malformed: "${line}".`)
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const disposition = headers.get('content-disposition') ?? ''
  if (!/^form-data\s*(;|$)/i.test(disposition)) {
    throw new MultipartError('A part has no "Content-Disposition: form-data" header.')
  }
  const parameters = dispositionParameters(disposition)
  const extended = parameters.get('filename*')
  return {
    name: parameters.get('name'),
    fileName: (extended && decodeExtendedValue(extended)) ?? parameters.get('filename'),
    contentType: headers.get('content-type'),
  }
}

/** The parameters of a Content-Disposition value; quoted values may hold `;` and `\"`. */
function dispositionParameters(value: string): Map<string, string> {
  const parameters = new Map<string, string>()
  const pattern = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g
  for (const match of value.matchAll(pattern)) {
    const key = match[1]!.toLowerCase()
    const quoted = match[2]
    parameters.set(key, quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : match[3]!.trim())
  }
  return parameters
}

/** RFC 5987 `UTF-8''percent-encoded` values. */
function decodeExtendedValue(value: string): string | undefined {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value)
  if (!match || !/^utf-8$/i.test(match[1]!)) return undefined
  try {
    return decodeURIComponent(match[2]!)
  } catch {
    return undefined
  }
}

/** After the wanted part: skips later parts, then requires the closing delimiter. */
async function skipRemainingParts(reader: Reader, delimiter: Buffer, parts: number): Promise<void> {
  for (let index = 0; ; index++) {
    if (await readsClose(reader)) return
    if (index >= parts) throw new MultipartError(`The body has more than ${maxParts} parts.`)
    await readPartHeaders(reader)
    await skipUntil(reader, delimiter, maxFieldBytes)
  }
}
