// The one transport boundary of the hub client: every request goes through here, and every ky
// or network failure leaves as an error of @opengradient/core.
import {
  AuthError,
  BaseError,
  HttpError,
  NotFoundError,
  stripUrlCredentials,
  TimeoutError,
} from '@opengradient/core'
import { isHTTPError, isTimeoutError, type Options, type RetryOptions } from 'ky'
import type { HubClient } from '../client/createHubClient.js'

/** A body streamed to the server, created anew for each attempt. */
export type StreamedBody = {
  create(): ReadableStream<Uint8Array>
  contentType: string
  /** Sent as `Content-Length` when known (else the body is sent chunked). */
  contentLength?: number | undefined
  /** Whether `create` may be called again, so the request can be repeated after a 401. */
  replayable: boolean
  /** The same body as a Blob, for runtimes that cannot stream a request body. */
  createBlob?: (() => Blob) | undefined
}

export type HubRequestParameters = {
  method: 'GET' | 'POST'
  url: string
  /** What the request does, for messages: `Model creation`, `Upload`… */
  label: string
  json?: unknown
  searchParams?: Readonly<Record<string, string | number | undefined>> | undefined
  /**
   * `required`: fail without a session; `optional`: send the token when there is one; `none`:
   * a request to another service (a gateway), which gets neither the token nor the client's
   * headers.
   */
  auth: 'required' | 'optional' | 'none'
  /** Safe to repeat: retried on 408, 429, 5xx and network failures. */
  idempotent: boolean
  /** Milliseconds to get the response. @default client.timeout */
  timeout?: number | undefined
  signal?: AbortSignal | undefined
  headers?: Readonly<Record<string, string>> | undefined
  body?: StreamedBody | undefined
}

/** Statuses a safe request is repeated after, honouring `Retry-After`. */
export const retryStatusCodes = [408, 429, 500, 502, 503, 504]

/**
 * Sends a hub request and returns the successful response. The bearer token is refreshed
 * first when it is about to expire; a 401 refreshes it once more and repeats the request once.
 * Redirects are followed for GET only: a 3xx answer to a POST is an error.
 */
export async function hubRequest(
  client: HubClient,
  parameters: HubRequestParameters,
): Promise<Response> {
  let refusedToken: string | undefined
  for (;;) {
    const token =
      parameters.auth === 'required' || (parameters.auth === 'optional' && client.auth.signedIn)
        ? await client.auth.getIdToken({
            forceRefresh: refusedToken !== undefined,
            refusedToken,
            signal: parameters.signal,
          })
        : undefined
    try {
      return await send(client, parameters, token)
    } catch (error) {
      const canRepeat = !parameters.body || parameters.body.replayable
      if (
        token !== undefined &&
        refusedToken === undefined &&
        canRepeat &&
        isHTTPError(error) &&
        error.response.status === 401
      ) {
        await error.response.body?.cancel().catch(() => {})
        refusedToken = token
        continue
      }
      throw await toHubError(error, parameters, client)
    }
  }
}

/** Sends a hub request and parses its JSON answer; an empty body gives `undefined`. */
export async function hubJson(
  client: HubClient,
  parameters: HubRequestParameters,
): Promise<{ status: number; body: unknown }> {
  const response = await hubRequest(client, parameters)
  let text: string
  try {
    text = await response.text()
  } catch (error) {
    throw await toHubError(error, parameters, client)
  }
  if (text.trim() === '') return { status: response.status, body: undefined }
  try {
    return { status: response.status, body: JSON.parse(text) }
  } catch (error) {
    throw new HttpError(`${parameters.label} failed: the server answered with invalid JSON.`, {
      status: response.status,
      url: parameters.url,
      method: parameters.method,
      body: text.slice(0, 1000),
      cause: error,
    })
  }
}

/** ky's retry options for a client: exponential backoff from `retryDelay`, with jitter. */
export function retryOptions(client: HubClient): RetryOptions {
  return {
    limit: client.retryCount,
    methods: ['get', 'head', 'post'],
    statusCodes: retryStatusCodes,
    afterStatusCodes: retryStatusCodes,
    maxRetryAfter: 60_000,
    backoffLimit: 30_000,
    delay: (attempt) => client.retryDelay * 2 ** (attempt - 1),
    jitter: (delay) => delay * (0.5 + Math.random() / 2),
  }
}

function send(
  client: HubClient,
  parameters: HubRequestParameters,
  token: string | undefined,
): Promise<Response> {
  const headers: Record<string, string> = {
    ...(parameters.auth === 'none' ? {} : client.headers),
    ...parameters.headers,
  }
  if (token !== undefined) headers.authorization = `Bearer ${token}`
  const searchParams = parameters.searchParams
    ? Object.fromEntries(
        Object.entries(parameters.searchParams)
          .filter(([, value]) => value !== undefined)
          .map(([key, value]) => [key, String(value)]),
      )
    : undefined
  const options: Options = {
    method: parameters.method,
    headers,
    timeout: parameters.timeout ?? client.timeout,
    retry: parameters.idempotent ? retryOptions(client) : 0,
    redirect: parameters.method === 'GET' ? 'follow' : 'manual',
    ...(parameters.json !== undefined ? { json: parameters.json } : {}),
    ...(searchParams ? { searchParams } : {}),
    ...(parameters.signal ? { signal: parameters.signal } : {}),
  }
  const body = parameters.body
  if (body) {
    headers['content-type'] = body.contentType
    if (body.contentLength !== undefined) headers['content-length'] = String(body.contentLength)
    // ky clones every request to prepare a retry, and a clone of a streamed body tees it: the
    // unread branch would keep the whole upload in memory. The stream is therefore attached
    // only at the fetch call, so ky never holds it. `redirect: 'error'` because a fetch that
    // may follow a redirect keeps every body chunk until the answer, to send them again.
    const streamed = supportsRequestStreams() || !body.createBlob
    options.fetch = (input) => {
      const request = input as Request
      return client.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: streamed ? body.create() : body.createBlob!(),
        signal: request.signal,
        redirect: 'error',
        ...(streamed ? { duplex: 'half' } : {}),
      } as RequestInit)
    }
  }
  return client.ky(parameters.url, options)
}

let requestStreams: boolean | undefined

/**
 * Whether `fetch` can send a ReadableStream body (Node, Chromium): such a Request takes the
 * `duplex` option and does not treat the stream as text.
 */
function supportsRequestStreams(): boolean {
  if (requestStreams !== undefined) return requestStreams
  let duplexRead = false
  try {
    const hasContentType = new Request('http://localhost/', {
      method: 'POST',
      body: new ReadableStream(),
      get duplex() {
        duplexRead = true
        return 'half'
      },
    } as RequestInit).headers.has('content-type')
    requestStreams = duplexRead && !hasContentType
  } catch {
    requestStreams = false
  }
  return requestStreams
}

/** Turns a failure of a hub request into an error of `@opengradient/core`. */
export async function toHubError(
  error: unknown,
  parameters: Pick<HubRequestParameters, 'label' | 'url' | 'method' | 'signal' | 'timeout'>,
  client: Pick<HubClient, 'timeout'>,
): Promise<unknown> {
  if (error instanceof BaseError) return error
  // A caller's abort is not a failure of the hub: it surfaces as the caller's reason.
  if (parameters.signal?.aborted) return parameters.signal.reason
  const { label, url, method } = parameters
  if (isHTTPError(error)) {
    const { response } = error
    const text = await response.text().catch(() => '')
    const body = parseBody(text)
    const status = response.status
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location')
      return new HttpError(
        `${label} failed: the server answered with a redirect (status ${status}), which is not followed for this request.`,
        {
          status,
          url,
          method,
          body,
          metaMessages: location ? [`Location: ${stripUrlCredentials(location)}`] : [],
        },
      )
    }
    const detail =
      detailOf(body) ??
      (status === 500 ? 'Internal server error occurred' : 'Unknown error occurred')
    const ErrorClass =
      status === 401 || status === 403 ? AuthError : status === 404 ? NotFoundError : HttpError
    return new ErrorClass(`${label} failed: ${sentence(detail)}`, {
      status,
      url,
      method,
      detail,
      body,
      cause: error,
    })
  }
  if (isTimeoutError(error)) {
    const timeoutMs = parameters.timeout ?? client.timeout
    return new TimeoutError(`${label} got no answer within ${timeoutMs} ms.`, {
      timeoutMs,
      cause: error,
      details: 'The request timed out.',
      metaMessages: [`Request: ${method} ${stripUrlCredentials(url)}`],
    })
  }
  const reason = networkReason(error)
  if (reason === 'unexpected redirect') {
    return new HttpError(
      `${label} failed: the server answered with a redirect, which is not followed for this request.`,
      { url, method, cause: error, details: reason },
    )
  }
  return new HttpError(`${label} failed: the server could not be reached.`, {
    url,
    method,
    cause: error,
    details: reason,
  })
}

/** The reason of a network failure (`fetch failed` hides it in its cause), without URLs. */
function networkReason(error: unknown): string | undefined {
  const cause = (error as { cause?: unknown } | null)?.cause
  const message =
    cause instanceof Error ? cause.message : error instanceof Error ? error.message : undefined
  return message?.replace(/\bhttps?:\/\/\S+/g, (url) => stripUrlCredentials(url))
}

function parseBody(text: string): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text.slice(0, 1000)
  }
}

/**
 * The server's explanation: FastAPI's `detail` (a string, or validation errors), or the
 * message of Google's error envelope.
 */
export function detailOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined
  if (!body || typeof body !== 'object') return undefined
  const detail = (body as { detail?: unknown }).detail
  if (typeof detail === 'string' && detail) return detail
  if (Array.isArray(detail)) {
    const messages = detail
      .map((item) => {
        const message = (item as { msg?: unknown })?.msg
        const location = (item as { loc?: unknown })?.loc
        if (typeof message !== 'string') return undefined
        return Array.isArray(location) ? `${location.join('.')}: ${message}` : message
      })
      .filter((message): message is string => message !== undefined)
    if (messages.length > 0) return messages.join('; ')
  }
  const googleMessage = (body as { error?: { message?: unknown } }).error?.message
  if (typeof googleMessage === 'string' && googleMessage) return googleMessage
  return undefined
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`
}
