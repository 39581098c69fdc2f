// The multipart/form-data body of an upload, streamed from its source in constant memory.
import { InvalidInputError } from '@opengradient/core'
import type { StreamedBody } from './request.js'

/** Upload progress: file bytes handed to the connection so far, of `total` when known. */
export type UploadProgress = { loaded: number; total: number | undefined }

/** Where an upload's bytes come from. */
export type UploadSource = {
  /** Opens the bytes from the start. */
  open(): AsyncIterator<Uint8Array>
  /** Size in bytes, when known before reading. */
  size: number | undefined
  /** Whether `open` may be called more than once. */
  replayable: boolean
  /** The whole content as a Blob, when it has one (for runtimes that cannot stream requests). */
  blob?: (() => Blob) | undefined
}

/** Slices of in-memory bytes handed out per read; they are views, never copies. */
const sliceSize = 1 << 20

/** A source over a Blob or File: streamed from its backing store, replayable. */
export function blobSource(blob: Blob): UploadSource {
  return {
    open: () => streamIterator(blob.stream()),
    size: blob.size,
    replayable: true,
    blob: () => blob,
  }
}

/** A source over bytes in memory, replayable. */
export function bytesSource(data: Uint8Array | ArrayBuffer): UploadSource {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
  async function* slices() {
    for (let offset = 0; offset < bytes.byteLength; offset += sliceSize) {
      yield bytes.subarray(offset, offset + sliceSize)
    }
  }
  return {
    open: () => slices(),
    size: bytes.byteLength,
    replayable: true,
    blob: () => new Blob([bytes as Uint8Array<ArrayBuffer>]),
  }
}

/** A source over a stream: read once, so a request using it cannot be repeated. */
export function streamSource(
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  size: number | undefined,
): UploadSource {
  let opened = false
  return {
    open() {
      if (opened) throw new InvalidInputError('An upload stream can be read only once.')
      opened = true
      return isReadableStream(stream) ? streamIterator(stream) : stream[Symbol.asyncIterator]()
    },
    size,
    replayable: false,
  }
}

/** Reads a ReadableStream without relying on its async iterator (not every browser has one). */
export function streamIterator(stream: ReadableStream<Uint8Array>): AsyncIterator<Uint8Array> {
  const reader = stream.getReader()
  return {
    next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
    async return() {
      await reader.cancel().catch(() => {})
      return { done: true, value: undefined }
    },
  }
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof (value as ReadableStream | undefined)?.getReader === 'function'
}

/**
 * A multipart/form-data body with one part (`name="file"`, `application/octet-stream`), built
 * as a stream that pulls the source chunk by chunk, so memory stays constant whatever the file
 * size. `Content-Length` is computed when the source's size is known. `failure()` tells a
 * failed source (it surfaces from fetch only as a network error) from a failed connection.
 */
export function multipartBody(
  source: UploadSource,
  parameters: {
    fileName: string
    onProgress?: ((progress: UploadProgress) => void) | undefined
  },
): StreamedBody & { failure(): unknown } {
  const boundary = `----OpenGradientFormBoundary${randomHex(12)}`
  const encoder = new TextEncoder()
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${escapeFileName(parameters.fileName)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  )
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  const total = source.size
  let failure: unknown

  const fail = (error: unknown): never => {
    failure = error
    throw error
  }

  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: total === undefined ? undefined : head.byteLength + total + tail.byteLength,
    replayable: source.replayable,
    failure: () => failure,
    ...(source.blob
      ? {
          createBlob: () => {
            parameters.onProgress?.({ loaded: 0, total })
            return new Blob([head, source.blob!(), tail])
          },
        }
      : {}),
    create() {
      let iterator: AsyncIterator<Uint8Array> | undefined
      let loaded = 0
      let stage: 'head' | 'file' | 'done' = 'head'
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (stage === 'head') {
            try {
              iterator = source.open()
            } catch (error) {
              fail(error)
            }
            stage = 'file'
            controller.enqueue(head)
            parameters.onProgress?.({ loaded: 0, total })
            return
          }
          if (stage !== 'file') return
          // Loop until something is enqueued: a pull that enqueues nothing is not repeated.
          for (;;) {
            let next: IteratorResult<Uint8Array>
            try {
              next = await iterator!.next()
            } catch (error) {
              return fail(error)
            }
            if (next.done) {
              if (total !== undefined && loaded !== total) {
                fail(
                  new InvalidInputError(
                    `The upload source gave ${loaded} bytes, not the ${total} announced.`,
                  ),
                )
              }
              stage = 'done'
              controller.enqueue(tail)
              controller.close()
              return
            }
            const chunk = next.value
            if (!(chunk instanceof Uint8Array)) {
              fail(new InvalidInputError('An upload stream must yield Uint8Array chunks.'))
            }
            if (chunk.byteLength === 0) continue
            loaded += chunk.byteLength
            if (total !== undefined && loaded > total) {
              fail(
                new InvalidInputError(
                  `The upload source gave more than the ${total} bytes announced.`,
                ),
              )
            }
            controller.enqueue(chunk)
            parameters.onProgress?.({ loaded, total })
            return
          }
        },
        async cancel() {
          await iterator?.return?.()
        },
      })
    },
  }
}

/** Quotes a file name the way browsers write it in a form-data part. */
function escapeFileName(fileName: string): string {
  return fileName.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function randomHex(bytes: number): string {
  const values = globalThis.crypto.getRandomValues(new Uint8Array(bytes))
  return Array.from(values, (value) => value.toString(16).padStart(2, '0')).join('')
}
