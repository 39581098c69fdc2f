import { BaseError, type BaseErrorParameters, redactSecrets } from './base.js'

export type HttpErrorType = HttpError & { name: 'HttpError' }

/** Removes user info, and values of query parameters that look like keys or tokens, from a URL. */
export function stripUrlCredentials(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    for (const key of [...parsed.searchParams.keys()]) {
      if (/key|token|secret|signature|password/i.test(key)) parsed.searchParams.set(key, 'redacted')
    }
    return parsed.toString()
  } catch {
    return redactSecrets(url)
  }
}

/**
 * An HTTP request failed: the server answered with a non-success status (`status` set), or the
 * request never got an answer (`status` undefined, the network error as `cause`). `body` holds
 * the parsed error body and `detail` the server's explanation when it gave one.
 *
 * @example
 * ```ts
 * if (error instanceof HttpError && error.status === 404) console.log('not there')
 * ```
 */
export class HttpError extends BaseError {
  override name: 'HttpError' | 'AuthError' | 'NotFoundError' | 'PaymentError' = 'HttpError'
  readonly status: number | undefined
  readonly url: string | undefined
  readonly method: string | undefined
  readonly detail: string | undefined
  readonly body: unknown

  constructor(
    shortMessage: string,
    parameters: BaseErrorParameters & {
      status?: number | undefined
      url?: string | undefined
      method?: string | undefined
      detail?: string | undefined
      body?: unknown
    } = {},
  ) {
    const { status, url, method, detail, body, ...rest } = parameters
    const safeUrl = url === undefined ? undefined : stripUrlCredentials(url)
    super(shortMessage, {
      ...rest,
      details: rest.details ?? detail,
      metaMessages: [
        ...(safeUrl ? [`Request: ${method ?? 'GET'} ${safeUrl}`] : []),
        ...(status !== undefined ? [`Status: ${status}`] : []),
        ...(rest.metaMessages ?? []),
      ],
    })
    this.status = status
    this.url = safeUrl
    this.method = method
    this.detail = detail === undefined ? undefined : redactSecrets(detail)
    this.body = body
  }
}

export type AuthErrorType = AuthError & { name: 'AuthError' }

/**
 * Authentication is missing, expired or was refused. The message says how to sign in.
 *
 * @example
 * ```ts
 * if (error instanceof AuthError) await login(hub, { email, password })
 * ```
 */
export class AuthError extends HttpError {
  override name = 'AuthError' as const
}

export type NotFoundErrorType = NotFoundError & { name: 'NotFoundError' }

/**
 * The thing asked for does not exist: a model, a file, an inference result, a workflow.
 *
 * @example
 * ```ts
 * if (error instanceof NotFoundError) console.log(error.shortMessage)
 * ```
 */
export class NotFoundError extends HttpError {
  override name = 'NotFoundError' as const
}

export type PaymentErrorType = PaymentError & { name: 'PaymentError' }

/**
 * A payment could not be made or was refused: over the caller's limit, unsupported scheme,
 * insufficient balance or allowance, or a settlement failure reported by the server.
 * `paymentRequired` holds the decoded `PAYMENT-REQUIRED` answer when there was one.
 *
 * @example
 * ```ts
 * if (error instanceof PaymentError) console.log(error.paymentRequired)
 * ```
 */
export class PaymentError extends HttpError {
  override name = 'PaymentError' as const
  readonly paymentRequired: unknown
  /**
   * Why: `refused` (the server answered 402), `over-limit` (every offer exceeds the caller's
   * `maxPayment`; nothing was signed), `unsupported` (no offer this client can pay),
   * `signing-failed`, or `sent` (the connection failed after a signed payment was sent: the
   * request is never retried, so it cannot be paid twice).
   */
  readonly reason: PaymentErrorReason

  constructor(
    shortMessage: string,
    parameters: ConstructorParameters<typeof HttpError>[1] & {
      paymentRequired?: unknown
      reason?: PaymentErrorReason | undefined
    } = {},
  ) {
    const { paymentRequired, reason, ...rest } = parameters
    super(shortMessage, rest)
    this.paymentRequired = paymentRequired
    this.reason = reason ?? 'refused'
  }
}

/** See {@link PaymentError.reason}. */
export type PaymentErrorReason =
  | 'refused'
  | 'over-limit'
  | 'unsupported'
  | 'signing-failed'
  | 'sent'
