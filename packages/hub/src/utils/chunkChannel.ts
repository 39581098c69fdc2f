/**
 * Hands chunks from a producer to an async-iterating consumer (a hash function) with a small
 * buffer: `push` waits while the consumer is behind, so memory stays bounded.
 */
export function createChunkChannel(parameters: { capacity?: number | undefined } = {}) {
  const capacity = parameters.capacity ?? 4
  const queue: Uint8Array[] = []
  let ended = false
  let failed = false
  let failure: unknown
  let wakeConsumer: (() => void) | undefined
  let wakeProducer: (() => void) | undefined

  const wake = () => {
    wakeConsumer?.()
    wakeConsumer = undefined
  }

  async function* iterate(): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (failed) throw failure
      const chunk = queue.shift()
      if (chunk) {
        wakeProducer?.()
        wakeProducer = undefined
        yield chunk
        continue
      }
      if (ended) return
      await new Promise<void>((resolve) => {
        wakeConsumer = resolve
      })
    }
  }

  return {
    iterable: iterate(),
    /** Adds a chunk; resolves once the consumer has room for more. */
    async push(chunk: Uint8Array): Promise<void> {
      queue.push(chunk)
      wake()
      while (queue.length >= capacity && !failed) {
        await new Promise<void>((resolve) => {
          wakeProducer = resolve
        })
      }
    },
    /** No more chunks. */
    end(): void {
      ended = true
      wake()
    },
    /** Stops the consumer with an error. */
    fail(error: unknown): void {
      failed = true
      failure = error ?? new Error('The stream was cancelled.')
      wake()
      wakeProducer?.()
      wakeProducer = undefined
    },
  }
}
