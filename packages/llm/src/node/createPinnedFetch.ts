// A WHATWG `fetch` over `node:https` that trusts exactly one certificate: the one a TEE registered.

import type { IncomingMessage } from 'node:http'
import { Agent, request as httpsRequest } from 'node:https'
import type { Duplex } from 'node:stream'
import type { TLSSocket } from 'node:tls'
import { ConnectionError, type ConnectionErrorReason, type Hex } from '@opengradient/core'
import { bytesToHex, hexToBytes } from 'viem'

export type CreatePinnedFetchParameters = {
  /** The DER X.509 certificate to trust (hex or bytes), as the TEE registry stores it. */
  certificate: Hex | Uint8Array
  /**
   * Keeps connections open between requests.
   * @default true
   */
  keepAlive?: boolean | undefined
  /**
   * Milliseconds to connect and verify the certificate; then the request fails with a
   * `ConnectionError` (`timeout`, not sent).
   * @default 10_000
   */
  connectTimeout?: number | undefined
}

/** The fetch returned by {@link createPinnedFetch}. */
export type PinnedFetch = typeof globalThis.fetch & {
  /** The pinned certificate (DER, hex). */
  certificate: Hex
  /** Closes idle connections, and connections in use once their answer is read. */
  close(): void
}

export type CreatePinnedFetchErrorType = ConnectionError | TypeError

/**
 * Creates a `fetch` that only talks to a server presenting exactly `certificate`, for TEEs
 * whose certificate comes from the TEE registry. Node only (`node:https`).
 *
 * - The certificate is the only trust anchor, the server's certificate must be byte-for-byte
 *   the pinned one, and it is checked before anything of the request is written.
 * - Failures without an answer throw a `ConnectionError`: `requestSent: false` when nothing was
 *   written (refused, DNS, TLS handshake, certificate mismatch, connect timeout), so the caller
 *   may send the request elsewhere; `requestSent: true` afterwards.
 * - The response body streams; aborting the `signal` or cancelling the body closes the
 *   connection. Redirects are returned, not followed (the next host has no pin); bodies are
 *   not decompressed (no `accept-encoding` is sent).
 *
 * @example
 * ```ts
 * import { createPinnedFetch } from '@opengradient/llm/node'
 *
 * const fetch = createPinnedFetch({ certificate: tee.tlsCertificate })
 * const response = await fetch(`${tee.endpoint}/health`)
 * ```
 */
export function createPinnedFetch(parameters: CreatePinnedFetchParameters): PinnedFetch {
  const der =
    typeof parameters.certificate === 'string'
      ? hexToBytes(parameters.certificate)
      : Uint8Array.from(parameters.certificate)
  if (der.length === 0) throw new TypeError('"certificate" is empty.')
  const pinned = Buffer.from(der)
  const connectTimeout = parameters.connectTimeout ?? 10_000
  const agent = new PinnedAgent({
    keepAlive: parameters.keepAlive ?? true,
    ca: toPem(pinned),
    // The registry publishes the certificate, and TEEs are addressed by IP while their
    // certificate may name a host: the exact pin below is the identity check, so the hostname
    // check would only refuse legitimate TEEs.
    checkServerIdentity: () => undefined,
    // A resumed session skips the certificate exchange; every new connection shows its
    // certificate so the pin is always checked on the real handshake.
    maxCachedSessions: 0,
  })
  // Sockets whose certificate matched; kept-alive sockets are reused without a new handshake.
  const verified = new WeakSet<object>()

  const pinnedFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined)
    signal?.throwIfAborted()
    const request = new Request(input, init)
    const url = new URL(request.url)
    if (url.protocol !== 'https:') {
      throw new TypeError(`A pinned fetch only speaks https, got "${url.protocol}//${url.host}".`)
    }
    const method = request.method
    const body =
      method === 'GET' || method === 'HEAD' ? undefined : Buffer.from(await request.arrayBuffer())
    signal?.throwIfAborted()
    const headers: Record<string, string> = {}
    for (const [name, value] of request.headers) {
      if (!hopByHopHeaders.has(name)) headers[name] = value
    }
    if (body !== undefined) headers['content-length'] = String(body.byteLength)

    return new Promise<Response>((resolve, reject) => {
      let written = false
      let answered = false
      let finished = false
      let failBody: ((error: unknown) => void) | undefined
      const clientRequest = httpsRequest({
        agent,
        method,
        protocol: 'https:',
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port || 443,
        path: `${url.pathname}${url.search}`,
        headers,
      })

      const connectTimer = setTimeout(() => {
        clientRequest.destroy(
          connectionError('timeout', false, url, undefined, {
            details: `No verified connection after ${connectTimeout} ms.`,
          }),
        )
      }, connectTimeout)
      const finish = () => {
        finished = true
        clearTimeout(connectTimer)
        signal?.removeEventListener('abort', onAbort)
      }
      const fail = (error: unknown) => {
        if (finished) return
        finish()
        if (answered) failBody?.(error)
        else reject(error)
      }
      function onAbort() {
        const reason = signal?.reason
        fail(reason)
        clientRequest.destroy()
      }
      signal?.addEventListener('abort', onAbort, { once: true })

      const send = () => {
        clearTimeout(connectTimer)
        written = true
        clientRequest.end(body)
      }
      clientRequest.once('socket', (socket) => {
        const tlsSocket = socket as TLSSocket
        if (verified.has(tlsSocket)) return send()
        const check = () => {
          const raw = tlsSocket.getPeerCertificate?.()?.raw
          if (!raw || !pinned.equals(raw)) {
            clientRequest.destroy(
              connectionError('certificate-mismatch', false, url, undefined, {
                details: 'The server presented another certificate than the pinned one.',
              }),
            )
            return
          }
          verified.add(tlsSocket)
          send()
        }
        if (tlsSocket.getPeerCertificate?.()?.raw) check()
        else tlsSocket.once('secureConnect', check)
      })

      // `on`, not `once`: a destroyed request may report more than one error.
      clientRequest.on('error', (error) => {
        fail(error instanceof ConnectionError ? error : classify(error, written, url))
      })

      clientRequest.once('response', (message: IncomingMessage) => {
        if (finished) {
          message.destroy()
          return
        }
        answered = true
        const responseHeaders = new Headers()
        const raw = message.rawHeaders
        for (let index = 0; index + 1 < raw.length; index += 2) {
          try {
            responseHeaders.append(raw[index] as string, raw[index + 1] as string)
          } catch {}
        }
        const status = message.statusCode ?? 502
        let responseBody: ReadableStream<Uint8Array> | null = null
        if (method === 'HEAD' || nullBodyStatuses.has(status)) {
          message.resume()
          message.once('end', finish)
        } else {
          responseBody = new ReadableStream<Uint8Array>({
            start(controller) {
              failBody = (error) => {
                controller.error(error)
                message.destroy()
              }
              message.on('data', (chunk: Buffer) => {
                controller.enqueue(new Uint8Array(chunk))
                if ((controller.desiredSize ?? 0) <= 0) message.pause()
              })
              message.once('end', () => {
                if (finished) return
                finish()
                controller.close()
              })
              message.on('error', (error) => fail(classify(error, true, url)))
              message.once('close', () => {
                if (!message.complete) {
                  fail(
                    connectionError('closed', true, url, undefined, {
                      details: 'The connection closed before the whole answer arrived.',
                    }),
                  )
                }
              })
            },
            pull() {
              message.resume()
            },
            cancel() {
              finish()
              // Destroying the message destroys its socket: an unread answer cannot be skipped
              // to reuse the connection.
              message.destroy()
              clientRequest.destroy()
            },
          })
        }
        const response = new Response(responseBody, {
          status,
          statusText: message.statusMessage ?? '',
          headers: responseHeaders,
        })
        Object.defineProperty(response, 'url', { value: url.toString() })
        resolve(response)
      })
    })
  }

  return Object.assign(pinnedFetch, {
    certificate: bytesToHex(der),
    close() {
      agent.retired = true
      for (const sockets of Object.values(agent.freeSockets)) {
        for (const socket of sockets ?? []) socket.destroy()
      }
    },
  })
}

class PinnedAgent extends Agent {
  retired = false
  override keepSocketAlive(socket: Duplex): boolean {
    if (this.retired) return false
    return super.keepSocketAlive(socket) as unknown as boolean
  }
}

const nullBodyStatuses = new Set([101, 204, 205, 304])

// Set by the transport itself, or (accept-encoding) meaningless since bodies are not decoded.
const hopByHopHeaders = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'accept-encoding',
  'upgrade',
  'proxy-connection',
])

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}

const reasonByCode: Record<string, ConnectionErrorReason> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
  ENETUNREACH: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETDOWN: 'unreachable',
  EHOSTDOWN: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
}

const messages: Record<ConnectionErrorReason, string> = {
  refused: 'the connection was refused',
  dns: 'the host name did not resolve',
  unreachable: 'the host is unreachable',
  timeout: 'connecting timed out',
  tls: 'the TLS handshake failed',
  'certificate-mismatch': 'the server certificate is not the pinned one',
  reset: 'the connection was reset',
  closed: 'the connection closed',
}

function classify(error: unknown, requestSent: boolean, url: URL): ConnectionError {
  const code = (error as { code?: unknown }).code
  const codeText = typeof code === 'string' ? code : undefined
  const library = (error as { library?: unknown }).library
  let reason: ConnectionErrorReason = 'closed'
  if (codeText && reasonByCode[codeText]) reason = reasonByCode[codeText]
  else if (
    library === 'SSL routines' ||
    (codeText && (/^ERR_(SSL|TLS)_/.test(codeText) || /CERT|_SIGNED_|SIGNATURE/.test(codeText)))
  ) {
    reason = 'tls'
  }
  return connectionError(reason, requestSent, url, codeText, { cause: error })
}

function connectionError(
  reason: ConnectionErrorReason,
  requestSent: boolean,
  url: URL,
  code: string | undefined,
  extra: { cause?: unknown; details?: string | undefined },
): ConnectionError {
  return new ConnectionError(
    `The request to ${url.origin} failed ${requestSent ? 'after' : 'before'} it was sent: ${messages[reason]}.`,
    { reason, requestSent, code, url: url.toString(), ...extra },
  )
}
