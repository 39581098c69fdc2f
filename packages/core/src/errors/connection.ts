// Connection-level failures, classified by whether the request could have reached the server:
// only failures before anything was written are safe to send again.
import { BaseError, type BaseErrorParameters } from './base.js'
import { stripUrlCredentials } from './http.js'

/**
 * What failed: the connection was refused (`refused`), the host name did not resolve (`dns`),
 * the host or network is unreachable (`unreachable`), connecting took too long (`timeout`), the
 * TLS handshake failed (`tls`), the server presented another certificate than the pinned one
 * (`certificate-mismatch`), the connection was reset (`reset`) or closed early (`closed`).
 */
export type ConnectionErrorReason =
  | 'refused'
  | 'dns'
  | 'unreachable'
  | 'timeout'
  | 'tls'
  | 'certificate-mismatch'
  | 'reset'
  | 'closed'

export type ConnectionErrorType = ConnectionError & { name: 'ConnectionError' }

/**
 * A request got no HTTP answer because the connection failed. `requestSent` says whether any
 * byte of the request had been written: when it is `false` the server cannot have seen the
 * request, so sending it again (to the same or another server) cannot do anything twice.
 *
 * @example
 * ```ts
 * try {
 *   await fetch('https://3.15.214.21/v1/chat/completions', init)
 * } catch (error) {
 *   if (error instanceof ConnectionError && !error.requestSent) console.log('safe to retry', error.reason)
 * }
 * ```
 */
export class ConnectionError extends BaseError {
  override name = 'ConnectionError' as const
  readonly reason: ConnectionErrorReason
  /** Whether the request (headers or body) was written before the failure. */
  readonly requestSent: boolean
  /** The system or TLS error code (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …). */
  readonly code: string | undefined
  readonly url: string | undefined

  constructor(
    shortMessage: string,
    parameters: BaseErrorParameters & {
      reason: ConnectionErrorReason
      requestSent: boolean
      code?: string | undefined
      url?: string | undefined
    },
  ) {
    const { reason, requestSent, code, url, ...rest } = parameters
    const safeUrl = url === undefined ? undefined : stripUrlCredentials(url)
    super(shortMessage, {
      ...rest,
      metaMessages: [
        ...(safeUrl ? [`URL: ${safeUrl}`] : []),
        `Reason: ${reason}${code ? ` (${code})` : ''}`,
        `Request sent: ${requestSent ? 'yes' : 'no'}`,
        ...(rest.metaMessages ?? []),
      ],
    })
    this.reason = reason
    this.requestSent = requestSent
    this.code = code
    this.url = safeUrl
  }
}
