import { HttpRequestError } from 'viem'
import type { RpcBatch } from '../transactions/writeTransaction.js'
import { keepAliveFetch } from './keepAliveFetch.js'

/**
 * Sends JSON-RPC batches straight over HTTP with {@link keepAliveFetch}, without viem's request
 * pipeline (retries, dedupe, per-request `Headers`): a send and its estimate cost the least CPU
 * this way, and nothing is ever retried, so a send is never repeated. Answers come back in
 * request order. A request that takes longer than `timeoutMs` is abandoned with an error.
 *
 * @example
 * ```ts
 * const rpcBatch = createHttpRpcBatch('http://127.0.0.1:8545')
 * const [chainId, gasPrice] = await rpcBatch([
 *   { method: 'eth_chainId', params: [] },
 *   { method: 'eth_gasPrice', params: [] },
 * ])
 * chainId?.result // '0x29f8'
 * ```
 */
export function createHttpRpcBatch(url: string, options: { timeoutMs?: number } = {}): RpcBatch {
  let nextId = 1
  const batch: RpcBatch = async (requests) => {
    const first = nextId
    nextId += requests.length
    const body = JSON.stringify(
      requests.map(({ method, params }, index) => ({
        jsonrpc: '2.0',
        id: first + index,
        method,
        params,
      })),
    )
    const response = await keepAliveFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    })
    const text = await response.text()
    let answers: unknown
    try {
      answers = JSON.parse(text)
    } catch {
      answers = undefined
    }
    if (!response.ok || !Array.isArray(answers)) {
      throw new HttpRequestError({
        url,
        status: response.status,
        body: JSON.parse(body),
        details: text.slice(0, 500) || response.statusText,
      })
    }
    // A node may answer a batch in any order: give each answer back at its request's place.
    const byId = new Map<unknown, { result?: unknown; error?: unknown }>()
    for (const answer of answers as { id?: unknown; result?: unknown; error?: unknown }[]) {
      byId.set(answer?.id, answer)
    }
    return requests.map((_, index) => byId.get(first + index))
  }
  return Object.assign(batch, { url })
}
