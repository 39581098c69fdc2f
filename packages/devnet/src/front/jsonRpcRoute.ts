import type { Address, Hex } from '@opengradient/core'
import { BaseError as ViemBaseError } from 'viem'
import { type JsonRpcClient, JsonRpcResponseError } from '../rpc/jsonRpc.js'
import type { PreExecutor, SendOutcome, TraceableTransaction } from './preExecution.js'
import { type Route, readBody } from './server.js'
import { readSignedTransaction } from './signedTransaction.js'

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
// Reads whose answer does not move with a client's own sends (the block number would: a
// client that just got its receipt must not be told an older block).
const sharedReadMethods = new Set([
  'eth_gasPrice',
  'eth_chainId',
  'eth_maxPriorityFeePerGas',
  'net_version',
])
// The fields of an estimate whose answer may be kept: no fees, balances or overrides.
const estimateKeys = new Set(['from', 'to', 'data', 'input', 'value'])
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
/** The longest a gas price is answered again without asking anvil. */
const gasPriceMaxAgeMs = 1_000

/**
 * A lock with shared and exclusive holders, granted in request order: an exclusive request
 * waits for the shared holders before it and holds back the shared requests after it.
 */
function createSendLock(): (exclusive: boolean) => Promise<() => void> {
  let shared = 0
  let exclusiveHeld = false
  const waiting: { exclusive: boolean; wake(): void }[] = []
  function grant(): void {
    while (waiting.length > 0) {
      const next = waiting[0]!
      if (next.exclusive) {
        if (shared > 0 || exclusiveHeld) return
        exclusiveHeld = true
      } else {
        if (exclusiveHeld) return
        shared++
      }
      waiting.shift()
      next.wake()
    }
  }
  return async (exclusive) => {
    await new Promise<void>((wake) => {
      waiting.push({ exclusive, wake })
      grant()
    })
    let released = false
    return () => {
      if (released) return
      released = true
      if (exclusive) exclusiveHeld = false
      else shared--
      grant()
    }
  }
}

/**
 * The JSON-RPC route of the devnet front. Every method goes straight to anvil, except sends and
 * estimates. Sends are pre-executed (every precompile call answered off-chain) before anvil gets
 * them. Sends whose calls are predicted (direct hub calls) go to anvil together, so anvil mines
 * them in shared blocks, like any burst of transactions; a send that must be traced waits until
 * nothing else is in flight and goes alone, so its trace and its execution see the same state.
 * A send whose nonce is ahead of the sender's waits until the sends before it entered, because
 * concurrent HTTP requests arrive in any order. Clients may also send with
 * `eth_sendRawTransactionSync` and get the receipt in the same round trip. Estimates of
 * predicted calls start their model runs and keep their gas (see `estimate` below).
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
  const acquireSendLock = createSendLock()
  const nonceWaiters = new Map<string, Set<() => void>>()
  // The next nonce of each sender as far as the front has seen; every send passes through it,
  // so the node is asked only for senders it has not seen yet (or after a refused send).
  // Queued: may enter the send queue now. Accepted: the node took every nonce below.
  const queuedNonces = new Map<string, number>()
  const acceptedNonces = new Map<string, number>()
  // Cleared when anvil turns out not to know `eth_sendRawTransactionSync` (an older binary).
  let syncSupported = true
  const sharedReads = new Map<string, Promise<Record<string, unknown>>>()
  // Bumped whenever the chain may have moved (a send mined, a state method): a gas price read
  // before is not answered again.
  let chainEpoch = 0
  let gasPrice: { answer: Promise<Record<string, unknown>>; epoch: number; at: number } | undefined
  // Gas estimates of predicted calls, by sender, target and calldata.
  const estimates = new Map<string, Hex>()
  let estimatesGeneration = 0

  async function knownNonce(nonces: Map<string, number>, sender: string): Promise<number> {
    const known = nonces.get(sender)
    if (known !== undefined) return known
    const fetched = Number(await rpc.request<Hex>('eth_getTransactionCount', [sender, 'pending']))
    nonces.set(sender, Math.max(fetched, nonces.get(sender) ?? 0))
    return nonces.get(sender)!
  }

  const acceptedNonce = (sender: string) => knownNonce(acceptedNonces, sender)

  function notifyNonce(sender: string): void {
    const waiters = nonceWaiters.get(sender)
    if (!waiters) return
    nonceWaiters.delete(sender)
    for (const wake of waiters) wake()
  }

  /** Resolves `true` when the nonce's turn came, `false` when the wait for a gap timed out. */
  async function waitForNonceTurn(sender: string, nonce: number): Promise<boolean> {
    // The wait ends when the gap closes, or when the sender's nonce has not moved for a while
    // (the missing transaction is not coming): a long queue of sends keeps it going.
    let last = -1
    let deadline = Date.now() + nonceGapTimeoutMs
    while (Date.now() < deadline) {
      const expected = await knownNonce(queuedNonces, sender)
      if (nonce <= expected) return true
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
          queuedNonces.delete(sender)
          resolve()
        }, 200)
        waiters.add(wake)
      })
    }
    return false
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
      const serializedTransaction = request.params?.[0] as Hex | undefined
      if (typeof serializedTransaction !== 'string') return undefined
      return await readSignedTransaction(serializedTransaction)
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
        // The receipt is still waited for a while, so the answers it took are known exactly.
        const hash = answer.error.data as Hex
        const receipt = await waitForReceipt(hash)
        if (sync) return { text, outcome: receipt ? minedOutcome(receipt) : { kind: 'unknown' } }
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
    let transaction: Awaited<ReturnType<typeof describe>>
    try {
      transaction = await describe(request)
    } catch (error) {
      // A malformed transaction is left to anvil, which answers with the proper error.
      if (!(error instanceof ViemBaseError) && !(error instanceof RangeError)) throw error
      transaction = undefined
    }
    const sender = transaction?.from.toLowerCase()
    const nonce = transaction?.nonce
    for (;;) {
      const inTurn =
        sender !== undefined && nonce !== undefined && (await waitForNonceTurn(sender, nonce))
      const reservation = transaction ? preExecutor.reserve(transaction) : undefined
      if (sender !== undefined && nonce !== undefined) {
        // Entered: the sender's next transaction may follow right behind it.
        queuedNonces.set(sender, Math.max(queuedNonces.get(sender) ?? 0, nonce + 1))
        notifyNonce(sender)
      }
      // Only a traced send must run alone; one the front cannot read gets no pre-execution
      // and goes to anvil for its answer, beside the others.
      const exclusive = reservation?.exclusive ?? false
      const unlock = await acquireSendLock(exclusive)
      let outcome: SendOutcome = { kind: 'rejected' }
      try {
        if (exclusive && inTurn && sender !== undefined && nonce !== undefined) {
          // The sender's previous transaction entered but was then refused: this one would
          // wait for a missing nonce while holding every other send back. Back to its turn.
          if (nonce > (await acceptedNonce(sender))) continue
        }
        if (reservation) {
          try {
            await reservation.ready()
          } catch (error) {
            if (!(error instanceof JsonRpcResponseError)) throw error
            // A transaction that cannot be traced (bad funds, bad nonce) is answered by anvil.
          }
        }
        outcome = { kind: 'unknown' }
        const submitted = await submit(request)
        outcome = submitted.outcome
        if (outcome.kind !== 'rejected') {
          chainEpoch++
          refreshGasPrice()
        }
        return submitted.text
      } finally {
        try {
          await reservation?.settle(outcome)
        } finally {
          if (sender !== undefined) {
            if (outcome.kind !== 'rejected' && nonce !== undefined) {
              acceptedNonces.set(sender, Math.max(acceptedNonces.get(sender) ?? 0, nonce + 1))
            } else {
              // Ask the node again: sends behind this one now wait for the gap to close.
              acceptedNonces.delete(sender)
              queuedNonces.delete(sender)
            }
            notifyNonce(sender)
          }
          unlock()
        }
      }
    }
  }

  /**
   * An estimate is how a client announces a send: predicted calls start their deterministic
   * work now, so the answer is ready when the transaction comes. The gas of a predicted hub call
   * is a function of its calldata while the hub and stand-in code stay the same (simulation runs
   * no model), so it is kept and answered again without a node round trip.
   */
  async function estimate(request: JsonRpcRequest, afterResponse: (() => void)[]): Promise<string> {
    const call = request.params?.[0] as Record<string, unknown> | undefined
    const block = request.params?.[1]
    const data = (call?.data ?? call?.input) as Hex | undefined
    if (!call || typeof call.from !== 'string' || typeof call.to !== 'string' || !data) {
      return await forward(JSON.stringify(request), [request])
    }
    const transaction: TraceableTransaction = {
      from: call.from as Address,
      to: call.to as Address,
      data,
      value: call.value as Hex | undefined,
    }
    // After the answer is on its way: the client's next step (signing) overlaps the work, and
    // the other requests of the batch are not held up by it.
    afterResponse.push(() => preExecutor.prefetch(transaction))
    const cacheable =
      Object.keys(call).every((key) => estimateKeys.has(key)) &&
      (block === undefined || block === 'latest' || block === 'pending') &&
      (request.params?.length ?? 0) <= 2 &&
      preExecutor.isPredicted(transaction)
    const key = `${call.from.toLowerCase()}:${call.to.toLowerCase()}:${data}`
    const known = cacheable ? estimates.get(key) : undefined
    if (known) return JSON.stringify({ jsonrpc: '2.0', id: request.id ?? null, result: known })
    const generation = estimatesGeneration
    const text = await forward(JSON.stringify(request), [request])
    if (cacheable && generation === estimatesGeneration) {
      const result = (JSON.parse(text) as { result?: Hex }).result
      if (result) {
        estimates.set(key, result)
        if (estimates.size > 256) estimates.delete(estimates.keys().next().value as string)
      }
    }
    return text
  }

  /** Asks anvil for a parameterless read; asks made while one is on its way share it. */
  function readShared(method: string): Promise<Record<string, unknown>> {
    let pending = sharedReads.get(method)
    if (!pending) {
      pending = rpc
        .forward(JSON.stringify({ jsonrpc: '2.0', id: 0, method, params: [] }))
        .then((text) => JSON.parse(text) as Record<string, unknown>)
      sharedReads.set(method, pending)
      const clear = () => sharedReads.delete(method)
      pending.then(clear, clear)
    }
    return pending
  }

  /**
   * Reads the gas price ahead, after each block the front saw mined, so the estimate and gas
   * price a client asks before its next send cost no node round trip.
   */
  function refreshGasPrice(): void {
    const epoch = chainEpoch
    const answer = readShared('eth_gasPrice')
    answer.then(
      (value) => {
        if (epoch === chainEpoch && 'result' in value) gasPrice = { answer, epoch, at: Date.now() }
      },
      () => {},
    )
  }

  /**
   * Parameterless reads asked while the same read is on its way to anvil share its answer
   * (200 clients asking the gas price at once cost anvil one request). The gas price is also
   * kept until the chain moves through the front (a send mined, a state method), for at most
   * `gasPriceMaxAgeMs` in case blocks are mined behind the front's back.
   */
  async function sharedRead(request: JsonRpcRequest): Promise<string> {
    let pending: Promise<Record<string, unknown>>
    if (
      request.method === 'eth_gasPrice' &&
      gasPrice?.epoch === chainEpoch &&
      Date.now() - gasPrice.at < gasPriceMaxAgeMs
    ) {
      pending = gasPrice.answer
    } else pending = readShared(request.method)
    const { id: _, ...answer } = await pending
    return JSON.stringify({ ...answer, id: request.id ?? null })
  }

  async function handle(request: JsonRpcRequest, afterResponse: (() => void)[]): Promise<string> {
    if (sendMethods.has(request.method)) return await send(request)
    if (request.method === 'eth_estimateGas') return await estimate(request, afterResponse)
    if (sharedReadMethods.has(request.method) && (request.params?.length ?? 0) === 0) {
      return await sharedRead(request)
    }
    return await forward(JSON.stringify(request), [request])
  }

  async function forward(body: string, requests: readonly JsonRpcRequest[]): Promise<string> {
    const text = await rpc.forward(body)
    if (requests.some((item) => stateMethod.test(item.method))) chainEpoch++
    if (
      requests.some(
        (item) => stateMethod.test(item.method) && !harmlessStateMethods.has(item.method),
      )
    ) {
      preExecutor.invalidate()
      estimates.clear()
      estimatesGeneration++
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
    const afterResponse: (() => void)[] = []
    if (Array.isArray(parsed)) {
      const special = parsed.some(
        (item) => sendMethods.has(item.method) || item.method === 'eth_estimateGas',
      )
      text = special
        ? `[${(await Promise.all(parsed.map((item) => handle(item, afterResponse)))).join(',')}]`
        : await forward(body, parsed)
    } else {
      text =
        sendMethods.has(parsed.method) ||
        parsed.method === 'eth_estimateGas' ||
        sharedReadMethods.has(parsed.method)
          ? await handle(parsed, afterResponse)
          : await forward(body, [parsed])
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(text)
    if (afterResponse.length > 0) {
      setImmediate(() => {
        for (const task of afterResponse) task()
      })
    }
    return true
  }
}
