import { Agent, request as httpRequest } from 'node:http'
import { BaseError } from '@opengradient/core'

/** A JSON-RPC error object as a node returns it. */
export type JsonRpcErrorObject = { code: number; message: string; data?: unknown }

/** A JSON-RPC error answered by the upstream node, kept with its code and data. */
export class JsonRpcResponseError extends BaseError {
  override name = 'JsonRpcResponseError' as const
  readonly code: number
  readonly data: unknown
  constructor(method: string, error: JsonRpcErrorObject) {
    super(`The node answered "${method}" with an error: ${error.message}`, {
      metaMessages: [`Code: ${error.code}`],
    })
    this.code = error.code
    this.data = error.data
  }
}

/** Minimal JSON-RPC client for the devnet's own calls to anvil. */
export type JsonRpcClient = {
  url: string
  request<T = unknown>(method: string, params?: readonly unknown[]): Promise<T>
  /** Sends a raw JSON-RPC body and returns the raw response text. */
  forward(body: string): Promise<string>
}

/**
 * Creates a JSON-RPC client over HTTP with a keep-alive connection pool. It uses `node:http`
 * directly: every request of the devnet front goes through it, and `fetch` costs noticeably
 * more per request.
 *
 * @example
 * ```ts
 * const rpc = createJsonRpcClient('http://127.0.0.1:8546')
 * const chainId = await rpc.request<string>('eth_chainId')
 * ```
 */
export function createJsonRpcClient(url: string): JsonRpcClient {
  let id = 0
  const target = new URL(url)
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })

  function post(body: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
          response.on('error', reject)
        },
      )
      request.on('error', reject)
      request.end(body)
    })
  }

  return {
    url,
    async request<T>(method: string, params: readonly unknown[] = []): Promise<T> {
      const text = await post(JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }))
      const body = JSON.parse(text) as { result?: T; error?: JsonRpcErrorObject }
      if (body.error) throw new JsonRpcResponseError(method, body.error)
      return body.result as T
    },
    forward: post,
  }
}
