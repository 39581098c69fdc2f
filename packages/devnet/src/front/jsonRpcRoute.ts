import type { Address, Hex } from '@opengradient/core'
import { parseTransaction, type TransactionSerialized, BaseError as ViemBaseError } from 'viem'
import { type JsonRpcClient, JsonRpcResponseError } from '../rpc/jsonRpc.js'
import type { PreExecutor, SendOutcome, TraceableTransaction } from './preExecution.js'
import { recoverSender } from './sender.js'
import { type Route, readBody } from './server.js'

type JsonRpcRequest = { jsonrpc: '2.0'; id: unknown; method: string; params?: unknown[] }

type Receipt = {
  transactionHash: Hex
  status: Hex
  logs: { address: string }[]
}

const sendMethods = new Set([
  'eth_sendRawTransaction',
  'eth_sendRawTransactionSync',
  'eth_sendTransaction',
])

// Methods that may rewind or rewrite chain state behind the front's back: the result indices
// it tracks are read again afterwards. Reads of the node's own settings are left out.
const stateMethod = /^(anvil|evm|hardhat)_/
const harmlessStateMethods = new Set([
  'anvil_nodeInfo',
  'anvil_metadata',
  'anvil_getAutomine',
  'anvil_getIntervalMining',
  'evm_mine',
  'evm_increaseTime',
  'anvil_mine',
])

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
  // Cleared when anvil turns out not to know `eth_sendRawTransactionSync` (an older binary).
  let syncSupported = true

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

  function minedOutcome(receipt: Receipt): SendOutcome {
    return {
      kind: 'mined',
      success: receipt.status === '0x1',
      logAddresses: receipt.logs.map((log) => log.address.toLowerCase()),
    }
  }

  async function describe(
    request: JsonRpcRequest,
  ): Promise<(TraceableTransaction & { nonce?: number | undefined }) | undefined> {
    if (request.method !== 'eth_sendTransaction') {
      const serializedTransaction = request.params?.[0] as TransactionSerialized | undefined
      if (typeof serializedTransaction !== 'string') return undefined
      const transaction = parseTransaction(serializedTransaction)
      const from = await recoverSender(serializedTransaction, transaction)
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

  async function waitForReceipt(hash: Hex): Promise<Receipt | undefined> {
    const deadline = Date.now() + receiptTimeoutMs
    while (Date.now() < deadline) {
      const receipt = await rpc.request<Receipt | null>('eth_getTransactionReceipt', [hash])
      if (receipt) return receipt
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    return undefined
  }

  /**
   * Hands a send to anvil and waits until it is mined. Raw transactions go through anvil's
   * `eth_sendRawTransactionSync`, which answers with the receipt once the block exists: one
   * round trip instead of a send and receipt polls. Returns the answer for the client (a hash,
   * or the receipt when it asked for the sync method) and what the pre-executor must know.
   */
  async function submit(request: JsonRpcRequest): Promise<{ text: string; outcome: SendOutcome }> {
    const sync = request.method === 'eth_sendRawTransactionSync'
    if (request.method !== 'eth_sendTransaction' && syncSupported) {
      const text = await rpc.forward(
        JSON.stringify({
          jsonrpc: '2.0',
          id: request.id ?? null,
          method: 'eth_sendRawTransactionSync',
          // A client's timeout is not passed on: anvil mines at once (and rejects the argument).
          params: request.params?.slice(0, 1) ?? [],
        }),
      )
      const answer = JSON.parse(text) as {
        result?: Receipt
        error?: { code: number; message: string; data?: unknown }
      }
      if (answer.result) {
        return {
          text: sync
            ? text
            : JSON.stringify({
                jsonrpc: '2.0',
                id: request.id ?? null,
                result: answer.result.transactionHash,
              }),
          outcome: minedOutcome(answer.result),
        }
      }
      if (answer.error?.code === -32601) syncSupported = false
      else if (
        typeof answer.error?.data === 'string' &&
        /^0x[0-9a-f]{64}$/i.test(answer.error.data)
      ) {
        // Accepted but not mined in time (automine off): the hash is all the client can have.
        const hash = answer.error.data as Hex
        if (sync) return { text, outcome: { kind: 'unknown' } }
        const receipt = await waitForReceipt(hash)
        return {
          text: JSON.stringify({ jsonrpc: '2.0', id: request.id ?? null, result: hash }),
          outcome: receipt ? minedOutcome(receipt) : { kind: 'unknown' },
        }
      } else return { text, outcome: { kind: 'rejected' } }
    }
    const text = await rpc.forward(
      JSON.stringify(sync ? { ...request, method: 'eth_sendRawTransaction' } : request),
    )
    const hash = (JSON.parse(text) as { result?: Hex }).result
    if (!hash) return { text, outcome: { kind: 'rejected' } }
    const receipt = await waitForReceipt(hash)
    const outcome: SendOutcome = receipt ? minedOutcome(receipt) : { kind: 'unknown' }
    if (!sync) return { text, outcome }
    return {
      text: JSON.stringify({ jsonrpc: '2.0', id: request.id ?? null, result: receipt ?? null }),
      outcome,
    }
  }

  async function send(request: JsonRpcRequest): Promise<string> {
    const T0 = performance.now()
    const PROF: Record<string, number> = {}
    let transaction: Awaited<ReturnType<typeof describe>>
    try {
      transaction = await describe(request)
    } catch (error) {
      // A malformed transaction is left to anvil, which answers with the proper error.
      if (!(error instanceof ViemBaseError)) throw error
      transaction = undefined
    }
    PROF.describe = performance.now() - T0
    if (transaction) preExecutor.precompute(transaction)
    PROF.precompute = performance.now() - T0
    if (transaction?.nonce !== undefined) {
      await waitForNonceTurn(transaction.from.toLowerCase(), transaction.nonce)
    }
    // Reserved where it is queued: the pre-executor places answers in queue order, and those of
    // later sends while this one is still being mined.
    PROF.nonce = performance.now() - T0
    const reservation = transaction ? preExecutor.reserve(transaction) : undefined
    PROF.reserve = performance.now() - T0
    return await serialized(async () => {
      PROF.turn = performance.now() - T0
      let outcome: SendOutcome = { kind: 'rejected' }
      let sent = false
      try {
        if (reservation) {
          try {
            await reservation.ready()
          } catch (error) {
            if (!(error instanceof JsonRpcResponseError)) throw error
            // A transaction that cannot be traced (bad funds, bad nonce) is answered by anvil.
          }
        }
        outcome = { kind: 'unknown' }
        PROF.ready = performance.now() - T0
        const submitted = await submit(request)
        PROF.submit = performance.now() - T0
        outcome = submitted.outcome
        sent = outcome.kind !== 'rejected'
        return submitted.text
      } finally {
        await reservation?.settle(outcome)
        PROF.settle = performance.now() - T0
        if (process.env.OG_PROF)
          (globalThis as any).__ogProf = [...((globalThis as any).__ogProf ?? []), PROF]
        if (transaction) {
          const sender = transaction.from.toLowerCase()
          if (sent && transaction.nonce !== undefined) {
            nextNonces.set(sender, Math.max(nextNonces.get(sender) ?? 0, transaction.nonce + 1))
          } else nextNonces.delete(sender)
          notifyNonce(sender)
        }
      }
    })
  }

  async function handle(request: JsonRpcRequest): Promise<string> {
    if (sendMethods.has(request.method)) return await send(request)
    return await forward(JSON.stringify(request), [request])
  }

  async function forward(body: string, requests: readonly JsonRpcRequest[]): Promise<string> {
    const text = await rpc.forward(body)
    if (
      requests.some(
        (item) => stateMethod.test(item.method) && !harmlessStateMethods.has(item.method),
      )
    ) {
      preExecutor.invalidate()
    }
    return text
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
        : await forward(body, parsed)
    } else {
      text = sendMethods.has(parsed.method) ? await send(parsed) : await forward(body, [parsed])
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(text)
    return true
  }
}
