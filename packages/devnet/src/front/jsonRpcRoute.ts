import type { Address, Hex } from '@opengradient/core'
import { parseTransaction, type TransactionSerialized, BaseError as ViemBaseError } from 'viem'
import { type JsonRpcClient, JsonRpcResponseError } from '../rpc/jsonRpc.js'
import type { PreExecutor, TraceableTransaction } from './preExecution.js'
import { recoverSender } from './sender.js'
import { type Route, readBody } from './server.js'

type JsonRpcRequest = { jsonrpc: '2.0'; id: unknown; method: string; params?: unknown[] }

const sendMethods = new Set(['eth_sendRawTransaction', 'eth_sendTransaction'])

/** How long a transaction with a future nonce waits for its sender's nonce to move. */
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
  // The next nonce of each sender as far as the front has seen; every send passes through it,
  // so the node is asked only for senders it has not seen yet (or after a rejected send).
  const nextNonces = new Map<string, number>()

  function serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task)
    queue = run.catch(() => {})
    return run
  }

  async function expectedNonce(sender: string): Promise<number> {
    const known = nextNonces.get(sender)
    if (known !== undefined) return known
    const fetched = Number(await rpc.request<Hex>('eth_getTransactionCount', [sender, 'pending']))
    nextNonces.set(sender, Math.max(fetched, nextNonces.get(sender) ?? 0))
    return nextNonces.get(sender)!
  }

  function notifyNonce(sender: string): void {
    const waiters = nonceWaiters.get(sender)
    if (!waiters) return
    nonceWaiters.delete(sender)
    for (const wake of waiters) wake()
  }

  async function waitForNonceTurn(sender: string, nonce: number): Promise<void> {
    // The wait ends when the gap closes, or when the sender's nonce has not moved for a while
    // (the missing transaction is not coming): a long queue of sends keeps it going.
    let last = -1
    let deadline = Date.now() + nonceGapTimeoutMs
    while (Date.now() < deadline) {
      const expected = await expectedNonce(sender)
      if (nonce <= expected) return
      if (expected !== last) {
        last = expected
        deadline = Date.now() + nonceGapTimeoutMs
      }
      await new Promise<void>((resolve) => {
        const waiters = nonceWaiters.get(sender) ?? new Set()
        nonceWaiters.set(sender, waiters)
        const wake = () => {
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(() => {
          waiters.delete(wake)
          // Re-read from the node: its sends may bypass the front.
          nextNonces.delete(sender)
          resolve()
        }, 200)
        waiters.add(wake)
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
      const from = await recoverSender(serializedTransaction)
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
    } catch (error) {
      // A malformed transaction is left to anvil, which answers with the proper error.
      if (!(error instanceof ViemBaseError)) throw error
      transaction = undefined
    }
    if (transaction) preExecutor.precompute(transaction)
    if (transaction?.nonce !== undefined) {
      await waitForNonceTurn(transaction.from.toLowerCase(), transaction.nonce)
    }
    return await serialized(async () => {
      let prepared = 0
      if (transaction) {
        try {
          prepared = await preExecutor.prepare(transaction)
        } catch (error) {
          if (!(error instanceof JsonRpcResponseError)) throw error
          // A transaction that cannot be traced (bad funds, bad nonce) is answered by anvil.
        }
      }
      const response = await rpc.forward(JSON.stringify(request))
      const hash = (JSON.parse(response) as { result?: Hex }).result
      if (hash) await waitForReceipt(hash)
      if (prepared > 0) await preExecutor.sweep()
      if (transaction) {
        const sender = transaction.from.toLowerCase()
        if (hash && transaction.nonce !== undefined) {
          nextNonces.set(sender, Math.max(nextNonces.get(sender) ?? 0, transaction.nonce + 1))
        } else nextNonces.delete(sender)
        notifyNonce(sender)
      }
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
