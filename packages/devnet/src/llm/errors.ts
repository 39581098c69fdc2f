import { BaseError } from '@opengradient/core'

export type GatewayErrorType = GatewayError & { name: 'GatewayError' }

/**
 * A request the devnet's LLM gateway refuses or cannot complete. Before any output it becomes
 * an HTTP error with the gateway's body shape (`{"error": …, "message": …}`); during a stream,
 * an error event.
 *
 * @example
 * ```ts
 * throw new GatewayError(400, 'Model not supported', 'Unknown model "devnet/none".')
 * ```
 */
export class GatewayError extends BaseError {
  override name = 'GatewayError' as const
  readonly status: number
  /** The `error` field of the body. */
  readonly error: string
  /** The `message` field of the body. */
  readonly detail: string | undefined

  constructor(status: number, error: string, detail?: string | undefined) {
    super(detail ? `${error}: ${detail}` : error)
    this.status = status
    this.error = error
    this.detail = detail
  }

  /** The JSON body of the HTTP answer. */
  toBody(): Record<string, unknown> {
    return { error: this.error, ...(this.detail ? { message: this.detail } : {}) }
  }
}
