// The one HTTP boundary of the gateway client: headers, timeout, cancellation, safe retries, and
// turning failures into the SDK's errors.
import {
  AuthError,
  HttpError,
  NotFoundError,
  PaymentError,
  stripUrlCredentials,
  TimeoutError,
} from '@opengradient/core'
import type { LlmClient } from '../client/createLlmClient.js'
import type { ResolvedTee } from '../tee/types.js'
import type { SettlementMode } from '../utils/settlementMode.js'

/**
 * The placeholder bearer token every reference version sends (`X402_PLACEHOLDER_API_KEY`);
 * payment is x402 and the gateway ignores it.
 */
export const placeholderAuthorization =
  'Bearer 0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef'

/** Longest `retry-after` the client waits for; a longer one fails the call at once. */
const maxRetryAfterMs = 60_000

export type SendGatewayRequestParameters = {
  path: string
  body: Record<string, unknown>
  settlementMode: SettlementMode
  /** Whether the answer is an event stream: the timeout then covers only the wait for headers. */
  stream: boolean
  /** Names the call in error messages (`chat`, `completion`). */
  operation: string
  headers?: HeadersInit | undefined
  signal?: AbortSignal | undefined
}

export type SendGatewayRequestReturnType = {
  response: Response
  url: string
  /** Aborts the request (and the body still being read). */
  abort(reason?: unknown): void
  /** The signal of this attempt: aborted by the caller's signal, the timeout or {@link abort}. */
  signal: AbortSignal
  /** Stops the timeout and unlinks the caller's signal; call once the body was read. */
  release(): void
  /** The error to throw when reading the body failed because the request was aborted. */
  abortError(error: unknown): unknown
  /** The registry TEE that answered, when the client has a `tee` connection. */
  tee: ResolvedTee | undefined
}

/**
 * POSTs a JSON body to the gateway and returns the response once its status is a success.
 *
 * Retries (up to `client.retryCount`) only what provably did not reach the server: connection
 * refused, DNS failures, unreachable hosts, and 429 / 503 answers, waiting as `retry-after`
 * says. A request that may have been processed is never sent twice.
 *
 * With a `tee` connection, each attempt goes to the connection's current TEE. The one retry is
 * for a connection failure with nothing sent: the connection re-reads the registry (moving off
 * the failed TEE) and the request is sent once more. HTTP errors are not retried.
 *
 * @example
 * ```ts
 * const { response, release } = await sendGatewayRequest(client, { path: '/v1/completions', body, settlementMode: 'batch', stream: false, operation: 'completion' })
 * ```
 */
export async function sendGatewayRequest(
  client: LlmClient,
  parameters: SendGatewayRequestParameters,
): Promise<SendGatewayRequestReturnType> {
  const baseUrl = `${client.baseUrl.replace(/\/+$/, '')}${parameters.path}`
  const bodyText = JSON.stringify(parameters.body)
  const headers = new Headers(client.headers)
  if (parameters.headers) {
    for (const [name, value] of new Headers(parameters.headers)) headers.set(name, value)
  }
  headers.set('content-type', 'application/json')
  if (!headers.has('authorization')) headers.set('authorization', placeholderAuthorization)
  headers.set('x-settlement-type', parameters.settlementMode)
  if (parameters.stream) headers.set('accept', 'text/event-stream')
  const callerSignal = parameters.signal
  let reconnected = false

  for (let attempt = 0; ; attempt++) {
    callerSignal?.throwIfAborted()
    // Resolved once per attempt: a retry goes to the TEE the reconnect chose.
    const tee = client.tee ? await client.tee.current() : undefined
    callerSignal?.throwIfAborted()
    const url = tee ? `${tee.endpoint}${parameters.path}` : baseUrl
    const controller = new AbortController()
    const onCallerAbort = () => controller.abort(callerSignal?.reason)
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true })
    let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(
      () =>
        controller.abort(
          new TimeoutError(
            `The LLM ${parameters.operation} request timed out after ${client.timeout} ms.`,
            {
              timeoutMs: client.timeout,
              metaMessages: [`Request: POST ${stripUrlCredentials(url)}`],
            },
          ),
        ),
      client.timeout,
    )
    const stopTimer = () => {
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    }
    const release = () => {
      stopTimer()
      callerSignal?.removeEventListener('abort', onCallerAbort)
    }
    const abortError = (error: unknown) => {
      if (!controller.signal.aborted) return error
      return controller.signal.reason ?? error
    }

    let response: Response
    try {
      response = await client.fetch(url, {
        method: 'POST',
        headers,
        body: bodyText,
        signal: controller.signal,
      })
    } catch (error) {
      release()
      if (controller.signal.aborted) throw controller.signal.reason
      // Raised by the payment layer (over the limit, unsupported, sent): already says it all.
      if (error instanceof PaymentError) throw error
      if (client.tee && tee) {
        if (!reconnected && client.retryCount > 0 && isPreSendFailure(error)) {
          reconnected = true
          try {
            await client.tee.reconnect({ replacing: tee })
          } catch (reconnectError) {
            throw new HttpError(`The TEE could not be reached for ${parameters.operation}.`, {
              url,
              method: 'POST',
              cause: error,
              metaMessages: [
                `TEE: ${tee.teeId}`,
                `Reconnecting failed: ${(reconnectError as Error).message?.split('\n')[0]}`,
              ],
            })
          }
          continue
        }
        throw new HttpError(`The TEE could not be reached for ${parameters.operation}.`, {
          url,
          method: 'POST',
          cause: error,
          metaMessages: [`TEE: ${tee.teeId}`],
        })
      }
      if (attempt < client.retryCount && isPreSendFailure(error)) {
        await sleep(backoff(client.retryDelay, attempt), callerSignal)
        continue
      }
      throw new HttpError(`The LLM gateway could not be reached for ${parameters.operation}.`, {
        url,
        method: 'POST',
        cause: error,
      })
    }

    try {
      await client.onResponse?.(response, { url, method: 'POST', body: parameters.body })
    } catch (error) {
      release()
      await response.body?.cancel().catch(() => {})
      throw error
    }

    if (response.ok) {
      if (parameters.stream) stopTimer()
      return {
        response,
        url,
        signal: controller.signal,
        abort: (reason) => controller.abort(reason),
        release,
        abortError,
        tee,
      }
    }

    // A TEE's HTTP errors are final (its 503 may follow a payment); only the gateway at a fixed
    // URL is asked again.
    if (
      !client.tee &&
      (response.status === 429 || response.status === 503) &&
      attempt < client.retryCount
    ) {
      const wait = retryAfterMs(response.headers) ?? backoff(client.retryDelay, attempt)
      if (wait <= maxRetryAfterMs) {
        release()
        await response.body?.cancel().catch(() => {})
        await sleep(wait, callerSignal)
        continue
      }
    }
    let text = ''
    try {
      text = await response.text()
    } catch {
      release()
      if (controller.signal.aborted) throw controller.signal.reason
    }
    release()
    throw gatewayHttpError({ response, text, url, operation: parameters.operation })
  }
}

/**
 * Turns a failed gateway answer into an `HttpError` (a `PaymentError` for 402).
 *
 * @example
 * ```ts
 * throw gatewayHttpError({ response, text: await response.text(), url, operation: 'chat' })
 * ```
 */
export function gatewayHttpError(parameters: {
  response: Response
  text: string
  url: string
  operation: string
}): HttpError {
  const { response, text, url, operation } = parameters
  const status = response.status
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {}
  const detail = detailOf(body) ?? (text ? text.slice(0, 1000) : undefined)
  const common = { status, url, method: 'POST', body, detail }
  const shortMessage = `The LLM gateway answered the ${operation} request with HTTP ${status}${
    response.statusText ? ` ${response.statusText}` : ''
  }.`
  if (status === 402) {
    const paymentRequired = decodeBase64Json(response.headers.get('payment-required')) ?? body
    return new PaymentError('The LLM gateway asked for a payment that was not made.', {
      ...common,
      paymentRequired,
      metaMessages: [
        'Check the account OPG balance and its Permit2 allowance, and that the client pays with x402.',
      ],
    })
  }
  if (status === 401 || status === 403) return new AuthError(shortMessage, common)
  if (status === 404) return new NotFoundError(shortMessage, common)
  return new HttpError(shortMessage, common)
}

function detailOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const { error, message, detail } = body as Record<string, unknown>
  const parts: string[] = []
  for (const value of [error, message, detail]) {
    if (typeof value === 'string' && value) parts.push(value)
    else if (typeof value === 'object' && value !== null) {
      const nested = (value as Record<string, unknown>).message
      if (typeof nested === 'string') parts.push(nested)
    }
  }
  return parts.length ? parts.join(': ') : undefined
}

/**
 * Decodes a base64 JSON header (`PAYMENT-REQUIRED`, `PAYMENT-RESPONSE`).
 *
 * @example
 * ```ts
 * decodeBase64Json(response.headers.get('payment-required')) // { x402Version: 2, accepts: [...] }
 * ```
 */
export function decodeBase64Json(value: string | null): unknown {
  if (!value) return undefined
  try {
    return JSON.parse(new TextDecoder().decode(base64ToBytes(value)))
  } catch {
    return undefined
  }
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, ''))
  return Uint8Array.from(binary, (character) => character.charCodeAt(0))
}

/** Error codes of failures that happen before a request is written to the socket. */
const preSendCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
])

/**
 * True when a fetch failure provably happened before the request reached the server: the
 * connection was never made, or a `ConnectionError` says nothing was written (which also covers
 * TLS handshake failures and certificate mismatches of a pinned fetch). Resets and socket errors
 * after connecting are not (the server may have processed the request).
 *
 * @example
 * ```ts
 * isPreSendFailure(error) // true for ECONNREFUSED, false for a reset
 * ```
 */
export function isPreSendFailure(error: unknown): boolean {
  const seen = new Set<unknown>()
  const pending: unknown[] = [error]
  while (pending.length > 0) {
    const current = pending.pop()
    if (current === null || typeof current !== 'object' || seen.has(current)) continue
    seen.add(current)
    // A signed payment went out with the request: it is never sent again, whatever the cause.
    if ((current as { reason?: unknown }).reason === 'sent') return false
    if ((current as { name?: unknown }).name === 'ConnectionError') {
      return (current as { requestSent?: unknown }).requestSent === false
    }
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && preSendCodes.has(code)) return true
    pending.push((current as { cause?: unknown }).cause)
    const errors = (current as { errors?: unknown }).errors
    if (Array.isArray(errors)) pending.push(...errors)
  }
  return false
}

/**
 * The wait a `retry-after` (seconds or HTTP date) or `retry-after-ms` header asks for.
 *
 * @example
 * ```ts
 * retryAfterMs(new Headers({ 'retry-after': '2' })) // 2000
 * ```
 */
export function retryAfterMs(headers: Headers): number | undefined {
  const milliseconds = Number(headers.get('retry-after-ms') ?? Number.NaN)
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds
  const value = headers.get('retry-after')
  if (value === null) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

function backoff(retryDelay: number, attempt: number): number {
  return Math.min(retryDelay * 2 ** attempt, 8000)
}

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, milliseconds)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
