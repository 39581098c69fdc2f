// Errors of LLM answers: a stream that failed or ended early, and answers without the expected shape.
import { BaseError, type BaseErrorParameters } from './base.js'

export type StreamErrorType = StreamError & { name: 'StreamError' }

/**
 * A streamed answer failed after it started: the server sent an error event, or the stream
 * ended before its final chunk. `event` holds the server's error event when there was one.
 * Content already received was delivered; the stream is not retried.
 *
 * @example
 * ```ts
 * try {
 *   for await (const chunk of stream) process.stdout.write(chunk.delta.content ?? '')
 * } catch (error) {
 *   if (error instanceof StreamError) console.error(error.shortMessage, error.event)
 * }
 * ```
 */
export class StreamError extends BaseError {
  override name = 'StreamError' as const
  /** The parsed error event (`{"error": …}`), when the server sent one. */
  readonly event: unknown
  /** Chunks delivered before the failure. */
  readonly chunksReceived: number | undefined

  constructor(
    shortMessage: string,
    parameters: BaseErrorParameters & { event?: unknown; chunksReceived?: number | undefined } = {},
  ) {
    const { event, chunksReceived, ...rest } = parameters
    super(shortMessage, {
      ...rest,
      metaMessages: [
        ...(chunksReceived !== undefined ? [`Chunks received: ${chunksReceived}`] : []),
        ...(rest.metaMessages ?? []),
      ],
    })
    this.event = event
    this.chunksReceived = chunksReceived
  }
}

export type InvalidResponseErrorType = InvalidResponseError & { name: 'InvalidResponseError' }

/**
 * A server answered with a success status but the body lacks what the protocol promises (no
 * `choices`, not JSON). `body` holds what arrived. Such answers are never retried: the request
 * was processed, and may have been paid for.
 *
 * @example
 * ```ts
 * if (error instanceof InvalidResponseError) console.error(error.body)
 * ```
 */
export class InvalidResponseError extends BaseError {
  override name = 'InvalidResponseError' as const
  readonly body: unknown
  readonly url: string | undefined

  constructor(
    shortMessage: string,
    parameters: BaseErrorParameters & { body?: unknown; url?: string | undefined } = {},
  ) {
    const { body, url, ...rest } = parameters
    super(shortMessage, {
      ...rest,
      metaMessages: [...(url ? [`Request: ${url}`] : []), ...(rest.metaMessages ?? [])],
    })
    this.body = body
    this.url = url
  }
}

/**
 * Why a TEE response failed verification: a `tee_*` field is absent (`missing-field`), no public
 * key of the TEE is known (`missing-public-key`), `tee_id` is not the key's id or the pinned one
 * (`tee-id-mismatch`), the gateway signed another request (`request-hash-mismatch`) or another
 * output (`output-hash-mismatch`), the RSA-PSS signature is wrong (`bad-signature`), or the
 * request cannot be hashed portably (`unverifiable-request`: NaN or Infinity, not JSON, an
 * unknown role).
 */
export type TeeVerificationErrorReason =
  | 'missing-field'
  | 'missing-public-key'
  | 'tee-id-mismatch'
  | 'request-hash-mismatch'
  | 'output-hash-mismatch'
  | 'bad-signature'
  | 'unverifiable-request'

export type TeeVerificationErrorType = TeeVerificationError & { name: 'TeeVerificationError' }

/**
 * A TEE's signed answer did not verify: the content must not be trusted. `reason` says which
 * check failed; for mismatches `computed` is what the client derived and `signed` what the
 * response carried.
 *
 * @example
 * ```ts
 * try {
 *   await client.chat({ model, messages, verify: true })
 * } catch (error) {
 *   if (error instanceof TeeVerificationError) console.error(error.reason, error.computed, error.signed)
 * }
 * ```
 */
export class TeeVerificationError extends BaseError {
  override name = 'TeeVerificationError' as const
  readonly reason: TeeVerificationErrorReason
  /** The value the client computed (a hash or the key's tee id), for mismatches. */
  readonly computed: string | undefined
  /** The value the response carried, for mismatches. */
  readonly signed: string | undefined

  constructor(
    shortMessage: string,
    parameters: BaseErrorParameters & {
      reason: TeeVerificationErrorReason
      computed?: string | undefined
      signed?: string | undefined
    },
  ) {
    const { reason, computed, signed, ...rest } = parameters
    super(shortMessage, {
      ...rest,
      metaMessages: [`Reason: ${reason}`, ...(rest.metaMessages ?? [])],
    })
    this.reason = reason
    this.computed = computed
    this.signed = signed
  }
}
