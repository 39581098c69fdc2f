import type { Address, Hex } from '@opengradient/core'
import { parseTransaction, recoverTransactionAddress, type TransactionSerialized } from 'viem'
import type { JsonRpcClient } from '../rpc/jsonRpc.js'
import type { PreExecutor, TraceableTransaction } from './preExecution.js'
import { type Route, readBody } from './server.js'

type JsonRpcRequest = { jsonrpc: '2.0'; id: unknown; method: string; params?: unknown[] }

const sendMethods = new Set(['eth_sendRawTransaction', 'eth_sendTransaction'])

/** How long a transaction with a future nonce waits for the transactions before it. */
const nonceGapTimeoutMs = 10_000
/** How long the front waits for a forwarded transaction to be mined before the next send. */
const receiptTimeoutMs = 5_000

/**
 * The JSON-RPC route of the devnet front. Every method goes straight to anvil, except sends:
 * they are serialized, pre-executed (every precompile call answered off-chain) and forwarded,
 * and the next send starts only once the previous one is mined, so a trace and its execution
 * see the same state. A send whose nonce is ahead of the sender's waits for the sends before
 * it, because concurrent HTTP requests arrive in any order.
 *
 * @example
 * ```ts
 * const route = createJsonRpcRoute({ rpc: anvil.rpc, preExecutor })
 * ```
 */
export function createJsonRpcRoute(parameters: {
  rpc: JsonRpcClient
  preExecutor: PreExecutor
}): Route {
  const { rpc, preExecutor } = parameters
  let queue: Promise<unknown> = Promise.resolve()
  const nonceWaiters = new Map<string, Set<() => void>>()

  function serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task)
    queue = run.catch(() => {})
    return run
  }

  function notifyNonce(sender: string): void {
    const waiters = nonceWaiters.get(sender)
    if (!waiters) return
    nonceWaiters.delete(sender)
    for (const wake of waiters) wake()
  }

  async function waitForNonceTurn(sender: string, nonce: number): Promise<void> {
    const deadline = Date.now() + nonceGapTimeoutMs
    while (Date.now() < deadline) {
      const current = Number(await rpc.request<Hex>('eth_getTransactionCount', [sender, 'pending']))
      if (nonce <= current) return
      await new Promise<void>((resolve) => {
        const waiters = nonceWaiters.get(sender) ?? new Set()
        nonceWaiters.set(sender, waiters)
        const timer = setTimeout(() => {
          waiters.delete(resolve)
          resolve()
        }, 200)
        waiters.add(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  async function describe(
    request: JsonRpcRequest,
  ): Promise<(TraceableTransaction & { nonce?: number | undefined }) | undefined> {
    if (request.method === 'eth_sendRawTransaction') {
      const serializedTransaction = request.params?.[0] as TransactionSerialized | undefined
      if (typeof serializedTransaction !== 'string') return undefined
      const transaction = parseTransaction(serializedTransaction)
      const from = await recoverTransactionAddress({ serializedTransaction })
      return {
        from,
        to: transaction.to ?? null,
        data: transaction.data,
        value: transaction.value === undefined ? undefined : `0x${transaction.value.toString(16)}`,
        gas: transaction.gas === undefined ? undefined : `0x${transaction.gas.toString(16)}`,
        nonce: transaction.nonce,
      }
    }
    const transaction = request.params?.[0] as
      | {
          from: Address
          to?: Address
          data?: Hex
          input?: Hex
          value?: Hex
          gas?: Hex
          nonce?: Hex
        }
      | undefined
    if (!transaction?.from) return undefined
    return {
      from: transaction.from,
      to: transaction.to ?? null,
      data: transaction.data ?? transaction.input,
      value: transaction.value,
      gas: transaction.gas,
      ...(transaction.nonce !== undefined ? { nonce: Number(transaction.nonce) } : {}),
    }
  }

  async function waitForReceipt(hash: Hex): Promise<void> {
    const deadline = Date.now() + receiptTimeoutMs
    while (Date.now() < deadline) {
      if (await rpc.request('eth_getTransactionReceipt', [hash])) return
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
  }

  async function send(request: JsonRpcRequest): Promise<string> {
    let transaction: Awaited<ReturnType<typeof describe>>
    try {
      transaction = await describe(request)
    } catch {
      transaction = undefined // malformed: anvil gives the proper error
    }
    if (transaction?.nonce !== undefined) {
      await waitForNonceTurn(transaction.from.toLowerCase(), transaction.nonce)
    }
    return await serialized(async () => {
      let prepared = 0
      if (transaction) {
        try {
          prepared = await preExecutor.prepare(transaction)
        } catch {
          // A transaction that cannot be traced (bad funds, bad nonce) is answered by anvil.
        }
      }
      const response = await rpc.forward(JSON.stringify(request))
      const hash = (JSON.parse(response) as { result?: Hex }).result
      if (hash) await waitForReceipt(hash)
      if (prepared > 0) await preExecutor.sweep()
      if (transaction) notifyNonce(transaction.from.toLowerCase())
      return response
    })
  }

  async function handle(request: JsonRpcRequest): Promise<string> {
    if (sendMethods.has(request.method)) return await send(request)
    return await rpc.forward(JSON.stringify(request))
  }

  return async (request, response, url) => {
    if (request.method !== 'POST' || (url.pathname !== '/' && url.pathname !== '/rpc')) return false
    const body = await readBody(request)
    let parsed: JsonRpcRequest | JsonRpcRequest[]
    try {
      parsed = JSON.parse(body)
    } catch {
      const text = JSON.stringify({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32700, message: 'Parse error' },
      })
      response.writeHead(200, { 'content-type': 'application/json' }).end(text)
      return true
    }
    let text: string
    if (Array.isArray(parsed)) {
      const hasSend = parsed.some((item) => sendMethods.has(item.method))
      text = hasSend
        ? `[${(await Promise.all(parsed.map(handle))).join(',')}]`
        : await rpc.forward(body)
    } else {
      text = sendMethods.has(parsed.method) ? await send(parsed) : await rpc.forward(body)
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(text)
    return true
  }
}
