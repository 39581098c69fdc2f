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
 * Creates a JSON-RPC client over HTTP with keep-alive.
 *
 * @example
 * ```ts
 * const rpc = createJsonRpcClient('http://127.0.0.1:8546')
 * const chainId = await rpc.request<string>('eth_chainId')
 * ```
 */
export function createJsonRpcClient(url: string): JsonRpcClient {
  let id = 0
  return {
    url,
    async request<T>(method: string, params: readonly unknown[] = []): Promise<T> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
      })
      const body = (await response.json()) as { result?: T; error?: JsonRpcErrorObject }
      if (body.error) throw new JsonRpcResponseError(method, body.error)
      return body.result as T
    },
    async forward(body: string): Promise<string> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      return await response.text()
    },
  }
}
