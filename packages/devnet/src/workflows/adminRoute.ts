import { BaseError } from '@opengradient/core'
import { type Route, readBody } from '../front/server.js'

/** An admin method: takes the JSON-RPC `params` array, returns the `result`. */
export type AdminMethod = (params: readonly unknown[]) => Promise<unknown>

type JsonRpcRequest = { jsonrpc?: string; id?: unknown; method?: unknown; params?: unknown }

/**
 * A route answering the devnet's own JSON-RPC methods (`og_…`) on the JSON-RPC endpoint, before
 * the chain's route sees the request. A request (or batch) that is not entirely made of these
 * methods is left to the next route, body intact.
 *
 * @example
 * ```ts
 * const route = createAdminRoute({ og_ping: async () => 'pong' })
 * ```
 */
export function createAdminRoute(methods: Readonly<Record<string, AdminMethod>>): Route {
  const known = new Map(Object.entries(methods))
  return async (request, response, url) => {
    if (request.method !== 'POST' || (url.pathname !== '/' && url.pathname !== '/rpc')) return false
    const body = await readBody(request)
    // Cheap test first: most requests are the chain's.
    if (!body.includes('"og_')) return false
    let parsed: JsonRpcRequest | JsonRpcRequest[]
    try {
      parsed = JSON.parse(body)
    } catch {
      return false
    }
    const batch = Array.isArray(parsed) ? parsed : [parsed]
    if (batch.length === 0 || !batch.every((item) => known.has(String(item?.method)))) return false
    const answers = await Promise.all(
      batch.map(async (item) => {
        const params = Array.isArray(item.params) ? item.params : []
        try {
          const result = await known.get(String(item.method))!(params)
          return { jsonrpc: '2.0', id: item.id ?? null, result: result ?? null }
        } catch (error) {
          return {
            jsonrpc: '2.0',
            id: item.id ?? null,
            error: {
              code: -32000,
              message:
                error instanceof BaseError
                  ? error.shortMessage
                  : error instanceof Error
                    ? error.message
                    : String(error),
            },
          }
        }
      }),
    )
    // Bigints (block times, task fields) travel as decimal strings.
    const text = JSON.stringify(Array.isArray(parsed) ? answers : answers[0], (_key, value) =>
      typeof value === 'bigint' ? value.toString() : value,
    )
    response
      .writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      })
      .end(text)
    return true
  }
}
