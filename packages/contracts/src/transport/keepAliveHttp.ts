import { type HttpTransport, type HttpTransportConfig, http } from 'viem'
import { keepAliveFetch } from './keepAliveFetch.js'

/**
 * viem's `http` transport, with its requests made by {@link keepAliveFetch}: in Node they go
 * through `node:http` on a keep-alive pool, which saves most of `fetch`'s CPU per request (about
 * a millisecond each on a small machine: two per transaction, and what bounds a burst of them).
 * Outside Node it is exactly `http()`. Every option of `http()` applies; a `fetchFn` given
 * here wins.
 *
 * @example
 * ```ts
 * import { keepAliveHttp } from '@opengradient/contracts'
 * import { createPublicClient } from 'viem'
 *
 * const client = createPublicClient({ transport: keepAliveHttp('http://127.0.0.1:8545') })
 * await client.getBlockNumber()
 * ```
 */
export function keepAliveHttp(
  url?: string | undefined,
  config: HttpTransportConfig = {},
): HttpTransport {
  return http(url, { ...config, fetchFn: config.fetchFn ?? keepAliveFetch })
}
