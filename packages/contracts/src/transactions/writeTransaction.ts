import {
  BaseError,
  type Hash,
  type Hex,
  InvalidInputError,
  TimeoutError,
  TransactionFailedError,
} from '@opengradient/core'
import {
  type Account,
  type Address,
  type Chain,
  formatTransactionReceipt,
  keccak256,
  type PublicClient,
  RpcRequestError,
  type RpcTransactionReceipt,
  type TransactionReceipt,
  type TransactionSerializable,
  type Transport,
} from 'viem'
import { isNonceError, revertReasonOf, toCallError } from './errors.js'
import type { NonceManager } from './nonceManager.js'
import { signLocally } from './signLocally.js'

/**
 * What sending a transaction needs from a client: the signer, the chain, a public client, a
 * nonce manager and the send settings. The Alpha client and the on-chain LLM client both are one.
 */
export type TransactionClient = {
  account: Account | Address
  chain: { id: number }
  publicClient: PublicClient<Transport, Chain>
  nonceManager: NonceManager
  /** Multiplier applied to gas estimates (they run in simulation mode and under-count). */
  gasMultiplier: number
  receiptTimeoutMs: number
  transactionType: 'legacy' | 'eip1559'
  pollingInterval: number
  /**
   * Send signed transactions with `eth_sendRawTransactionSync` (EIP-7966), which answers with
   * the receipt once the transaction is mined: one round trip instead of a send and receipt
   * polls. A node without the method refuses the first call and the client falls back to
   * `eth_sendRawTransaction` for good.
   * @default false
   */
  sendSync?: boolean | undefined
  /**
   * Sends JSON-RPC batches to the node. When present, a legacy send asks for its gas estimate
   * and gas price in one request; a failing estimate is then asked again alone, for its error.
   */
  rpcBatch?: RpcBatch | undefined
}

/**
 * Sends JSON-RPC requests as one batch and gives each answer back in request order (its
 * `result`, or its `error`).
 */
export type RpcBatch = ((
  requests: readonly { method: string; params: readonly unknown[] }[],
) => Promise<readonly ({ result?: unknown; error?: unknown } | undefined)[]>) & {
  /** The node's URL, for error messages. */
  url?: string | undefined
}

export type WriteTransactionParameters = {
  to?: Address | undefined
  data: Hex
  /** Gas limit; when absent, the estimate times the client's `gasMultiplier`. */
  gas?: bigint | undefined
  /** Multiplier for this call's estimate. @default the client's `gasMultiplier` */
  gasMultiplier?: number | undefined
  /**
   * Total attempts when the node rejects the send for its nonce (never after the node accepted
   * the transaction). @default 5
   */
  maxRetries?: number | undefined
  signal?: AbortSignal | undefined
  /** For error messages. */
  functionName: string
  /** Gas added to the multiplied estimate, for work the simulation cannot see. @default 0n */
  gasHeadroom?: bigint | undefined
}

export type WriteTransactionReturnType = { transactionHash: Hash; receipt: TransactionReceipt }

/**
 * Sends a transaction the way every Alpha action does: estimate (a revert here surfaces its
 * reason), a locally reserved nonce, local signing with an explicit chain id, one broadcast,
 * and a receipt wait. A send is retried only when the node rejected it for its nonce; once a
 * transaction hash exists it is never sent again (a dropped connection is resolved by asking
 * the node for the hash).
 *
 * @example
 * ```ts
 * const { transactionHash, receipt } = await writeTransaction(client, { to, data, functionName: 'run' })
 * ```
 */
export async function writeTransaction(
  client: TransactionClient,
  parameters: WriteTransactionParameters,
): Promise<WriteTransactionReturnType> {
  const maxRetries = parameters.maxRetries ?? 5
  if (!Number.isInteger(maxRetries) || maxRetries < 1) {
    throw new InvalidInputError(`"maxRetries" must be an integer of at least 1, got ${maxRetries}.`)
  }
  parameters.signal?.throwIfAborted()
  const sends = sendsInProgress.get(client.nonceManager) ?? 0
  sendsInProgress.set(client.nonceManager, sends + 1)
  try {
    return await send(client, parameters, sends === 0)
  } finally {
    const left = (sendsInProgress.get(client.nonceManager) ?? 1) - 1
    if (left > 0) sendsInProgress.set(client.nonceManager, left)
    else sendsInProgress.delete(client.nonceManager)
  }
}

type Fees = { gasPrice: bigint } | { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }

/** The transaction `writeTransaction` signs: legacy or EIP-1559 by the fees quoted. */
function unsignedTransaction(parameters: {
  chainId: number
  to: Address | undefined
  data: Hex
  gas: bigint
  nonce: number
  fees: Fees
}): TransactionSerializable {
  const { chainId, to, data, gas, nonce, fees } = parameters
  const common = { chainId, to: to ?? null, data, gas, nonce }
  return 'gasPrice' in fees
    ? { ...common, type: 'legacy', gasPrice: fees.gasPrice }
    : {
        ...common,
        type: 'eip1559',
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      }
}

/** A send prepared while its estimate was asked: used when the estimate confirms all of it. */
type Speculation = { nonce: number; gas: bigint; fees: Fees; signed: Promise<Hex | undefined> }

// Sends in progress per client (its nonce manager), and each client's last gas and fees per
// call. A client's only send signs while its estimate is on the way, with the gas and fees the
// same call got last time; a burst does not (its nonces are not known ahead).
const sendsInProgress = new WeakMap<NonceManager, number>()
const lastQuotes = new WeakMap<NonceManager, Map<string, { gas: bigint; fees: Fees }>>()

/** Runs `task` after pending I/O callbacks (`setImmediate` in Node, a timer elsewhere). */
const later: (task: () => void) => void =
  typeof globalThis.setImmediate === 'function'
    ? (task) => globalThis.setImmediate(task)
    : (task) => globalThis.setTimeout(task, 0)

function sameFees(a: Fees, b: Fees): boolean {
  if ('gasPrice' in a) return 'gasPrice' in b && a.gasPrice === b.gasPrice
  return (
    'maxFeePerGas' in b &&
    a.maxFeePerGas === b.maxFeePerGas &&
    a.maxPriorityFeePerGas === b.maxPriorityFeePerGas
  )
}

/**
 * Signs ahead, while the estimate is on its way, what the send will most likely be: the next
 * nonce and the gas and fees of the same call last time. Nothing is reserved or sent; the
 * signature is used only if the estimate, the fees and the nonce all turn out the same.
 */
function speculate(
  client: TransactionClient,
  call: { from: Address; to: Address | undefined; data: Hex; key: string },
): Speculation | undefined {
  const { account, chain } = client
  if (typeof account === 'string' || !account.sign) return undefined
  const source = (account as { source?: string }).source
  if (source !== 'privateKey' && source !== 'hd') return undefined
  const quote = lastQuotes.get(client.nonceManager)?.get(call.key)
  const nonce = client.nonceManager.peek?.({ address: call.from, chainId: chain.id })
  if (!quote || nonce === undefined) return undefined
  const { gas, fees } = quote
  // After the estimate request is written: signing first would only delay it.
  const signed = new Promise<Hex | undefined>((resolve) => {
    later(() => {
      signLocally(
        account,
        unsignedTransaction({ chainId: chain.id, to: call.to, data: call.data, gas, nonce, fees }),
      ).then(resolve, () => resolve(undefined))
    })
  })
  return { nonce, gas, fees, signed }
}

async function send(
  client: TransactionClient,
  parameters: WriteTransactionParameters,
  alone: boolean,
): Promise<WriteTransactionReturnType> {
  const { to, data, signal, functionName } = parameters
  const maxRetries = parameters.maxRetries ?? 5
  const { publicClient, account, chain } = client
  const from = typeof account === 'string' ? account : account.address
  const context = { contractAddress: to ?? '(deployment)', functionName }
  const quoteKey = `${from}:${to}:${parameters.gasMultiplier ?? ''}:${parameters.gasHeadroom ?? ''}:${data}`
  const speculation =
    alone && parameters.gas === undefined
      ? speculate(client, { from, to, data, key: quoteKey })
      : undefined

  // The estimate and the fee quote are independent: ask for both at once.
  const withMargin = (estimate: bigint) => {
    const multiplier = parameters.gasMultiplier ?? client.gasMultiplier
    return (
      (estimate * BigInt(Math.round(multiplier * 1000))) / 1000n + (parameters.gasHeadroom ?? 0n)
    )
  }
  const batched =
    parameters.gas === undefined && client.transactionType === 'legacy' && client.rpcBatch
      ? await estimateInBatch(client.rpcBatch, { from, to, data })
      : undefined
  const [gas, fees] = batched
    ? [withMargin(batched.estimate), { gasPrice: batched.gasPrice } as Fees]
    : await Promise.all([
        parameters.gas ??
          publicClient.estimateGas({ account: from, to, data }).then(withMargin, (error) => {
            throw toCallError(error, context)
          }),
        client.transactionType === 'eip1559'
          ? publicClient.estimateFeesPerGas({ type: 'eip1559' })
          : publicClient.getGasPrice().then((gasPrice): Fees => ({ gasPrice })),
      ] as [Promise<bigint> | bigint, Promise<Fees>])
  // Deployments and other large calldata are rarely sent twice: not worth keeping as a key.
  if (parameters.gas === undefined && data.length <= 65_536) {
    let quotes = lastQuotes.get(client.nonceManager)
    if (!quotes) {
      quotes = new Map()
      lastQuotes.set(client.nonceManager, quotes)
    }
    quotes.delete(quoteKey)
    quotes.set(quoteKey, { gas, fees })
    if (quotes.size > 64) quotes.delete(quotes.keys().next().value as string)
  }

  let transactionHash: Hash | undefined
  let receipt: TransactionReceipt | undefined
  for (let attempt = 1; transactionHash === undefined; attempt++) {
    signal?.throwIfAborted()
    const nonce = await client.nonceManager.consume({
      address: from,
      chainId: chain.id,
      fetchPendingCount: () =>
        publicClient.getTransactionCount({ address: from, blockTag: 'pending' }),
    })
    // Hashed only when needed: a failed send whose fate must be asked of the node.
    let signed: Hex | undefined
    try {
      if (typeof account === 'string') {
        transactionHash = await publicClient.request({
          method: 'eth_sendTransaction' as never,
          params: [
            {
              from,
              to,
              data,
              gas: `0x${gas.toString(16)}`,
              nonce: `0x${nonce.toString(16)}`,
              ...('gasPrice' in fees
                ? { gasPrice: `0x${fees.gasPrice.toString(16)}` }
                : {
                    maxFeePerGas: `0x${fees.maxFeePerGas.toString(16)}`,
                    maxPriorityFeePerGas: `0x${fees.maxPriorityFeePerGas.toString(16)}`,
                  }),
            },
          ] as never,
        })
      } else {
        if (!account.signTransaction) {
          throw new InvalidInputError('The account cannot sign transactions locally.', {
            metaMessages: [
              'Pass a local account (privateKeyToAccount) or a JSON-RPC account address.',
            ],
          })
        }
        const prepared =
          attempt === 1 &&
          speculation?.nonce === nonce &&
          speculation.gas === gas &&
          sameFees(speculation.fees, fees)
            ? await speculation.signed
            : undefined
        const serializedTransaction =
          prepared ??
          (await signLocally(
            account,
            unsignedTransaction({ chainId: chain.id, to, data, gas, nonce, fees }),
          ))
        signed = serializedTransaction
        const mined =
          client.sendSync && !syncUnsupported.has(publicClient)
            ? await sendRawTransactionSync(client, serializedTransaction)
            : undefined
        if (mined) {
          receipt = mined
          transactionHash = mined.transactionHash
        } else transactionHash = await publicClient.sendRawTransaction({ serializedTransaction })
      }
    } catch (error) {
      client.nonceManager.reset({ address: from, chainId: chain.id })
      const localHash = signed && keccak256(signed)
      if (localHash && (await isKnown(client, localHash))) {
        // The node accepted it before the connection failed: keep waiting, never re-send.
        transactionHash = localHash
        break
      }
      if (isNonceError(error) && attempt < maxRetries) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * attempt)))
        continue
      }
      if (isNonceError(error)) {
        throw new TransactionFailedError(`The transaction failed after ${attempt} attempts.`, {
          cause: error,
        })
      }
      throw toCallError(error, context)
    }
  }

  try {
    receipt ??= await publicClient.waitForTransactionReceipt({
      hash: transactionHash,
      timeout: client.receiptTimeoutMs,
      pollingInterval: client.pollingInterval,
    })
  } catch (error) {
    if ((error as { name?: string }).name === 'WaitForTransactionReceiptTimeoutError') {
      throw new TimeoutError('The transaction was sent but no receipt arrived in time.', {
        timeoutMs: client.receiptTimeoutMs,
        transactionHash,
        cause: error,
        metaMessages: ['It may still be mined: wait for it by hash instead of sending again.'],
      })
    }
    throw new BaseError('Waiting for the transaction receipt failed.', { cause: error })
  }
  if (receipt.status === 'reverted') {
    const revertReason = await findRevertReason(client, {
      from,
      to,
      data,
      gas,
      transactionHash,
      receipt,
    })
    throw new TransactionFailedError(
      revertReason
        ? `The transaction reverted with reason: "${revertReason}".`
        : 'The transaction reverted without a reason.',
      { transactionHash, revertReason, metaMessages: [`Function: ${functionName}`] },
    )
  }
  return { transactionHash, receipt }
}

// Estimates on their way, per batch function and call: identical calls made at the same time
// (a burst of the same inference) share one request, as they would share its answer.
const estimatesInFlight = new WeakMap<
  RpcBatch,
  Map<string, Promise<{ estimate: bigint; gasPrice: bigint } | undefined>>
>()

/**
 * Asks for the estimate and the gas price in one JSON-RPC batch. Returns `undefined` when
 * either failed: the caller asks again one by one, which gives failures their usual errors.
 */
function estimateInBatch(
  rpcBatch: RpcBatch,
  call: { from: Address; to: Address | undefined; data: Hex },
): Promise<{ estimate: bigint; gasPrice: bigint } | undefined> {
  let inFlight = estimatesInFlight.get(rpcBatch)
  if (!inFlight) {
    inFlight = new Map()
    estimatesInFlight.set(rpcBatch, inFlight)
  }
  const key = `${call.from}:${call.to}:${call.data}`
  let pending = inFlight.get(key)
  if (!pending) {
    const calls = inFlight
    pending = requestEstimate(rpcBatch, call).finally(() => calls.delete(key))
    inFlight.set(key, pending)
  }
  return pending
}

async function requestEstimate(
  rpcBatch: RpcBatch,
  call: { from: Address; to: Address | undefined; data: Hex },
): Promise<{ estimate: bigint; gasPrice: bigint } | undefined> {
  try {
    const [estimate, gasPrice] = await rpcBatch([
      {
        method: 'eth_estimateGas',
        params: [{ from: call.from, ...(call.to ? { to: call.to } : {}), data: call.data }],
      },
      { method: 'eth_gasPrice', params: [] },
    ])
    if (typeof estimate?.result !== 'string' || typeof gasPrice?.result !== 'string') {
      return undefined
    }
    return { estimate: BigInt(estimate.result), gasPrice: BigInt(gasPrice.result) }
  } catch {
    return undefined
  }
}

// Nodes that refused `eth_sendRawTransactionSync`, so every later send goes the classic way.
const syncUnsupported = new WeakSet<object>()

/**
 * Sends through `eth_sendRawTransactionSync` and returns the formatted receipt, or `undefined`
 * when the node does not know the method (nothing was sent). A timeout or a dropped connection
 * throws like `eth_sendRawTransaction` would; the caller then asks the node for the hash.
 */
async function sendRawTransactionSync(
  client: TransactionClient,
  serializedTransaction: Hex,
): Promise<TransactionReceipt | undefined> {
  const { publicClient, rpcBatch } = client
  let raw: RpcTransactionReceipt
  try {
    if (rpcBatch) {
      // The client's own connection: the leanest path, and never retried.
      const call = { method: 'eth_sendRawTransactionSync', params: [serializedTransaction] }
      const [answer] = await rpcBatch([call])
      if (answer?.error !== undefined || answer?.result === undefined) {
        throw new RpcRequestError({
          body: call,
          error: (answer?.error ?? {
            code: -32603,
            message: 'The node answered without a result.',
          }) as { code: number; message: string },
          url: rpcBatch.url ?? '',
        })
      }
      raw = answer.result as RpcTransactionReceipt
    } else {
      raw = (await publicClient.request(
        { method: 'eth_sendRawTransactionSync' as never, params: [serializedTransaction] as never },
        // Never re-sent by the transport: a retry after the node accepted it would be a second
        // send.
        { retryCount: 0 },
      )) as RpcTransactionReceipt
    }
  } catch (error) {
    if (isMethodMissing(error)) {
      syncUnsupported.add(publicClient)
      return undefined
    }
    throw error
  }
  const format = publicClient.chain?.formatters?.transactionReceipt?.format
  return (format ? format(raw as never) : formatTransactionReceipt(raw)) as TransactionReceipt
}

function isMethodMissing(error: unknown): boolean {
  for (let cause = error as { code?: unknown; cause?: unknown } | undefined; cause; ) {
    // -32601: method not found; -32004: method not supported (EIP-1474).
    if (cause.code === -32601 || cause.code === -32004) return true
    cause = cause.cause as typeof cause
  }
  return false
}

async function isKnown(client: TransactionClient, hash: Hash): Promise<boolean> {
  try {
    await client.publicClient.getTransaction({ hash })
    return true
  } catch {
    return false
  }
}

/**
 * Finds why a mined transaction reverted: first by replaying the call (the reference's way),
 * then from the node's call trace, because on an inference chain the replay runs in simulation
 * mode and may not hit the failure the real execution hit.
 */
async function findRevertReason(
  client: TransactionClient,
  parameters: {
    from: Address
    to: Address | undefined
    data: Hex
    gas: bigint
    transactionHash: Hash
    receipt: TransactionReceipt
  },
): Promise<string | undefined> {
  const { publicClient } = client
  try {
    await publicClient.call({
      account: parameters.from,
      to: parameters.to,
      data: parameters.data,
      gas: parameters.gas,
      blockNumber: parameters.receipt.blockNumber,
    })
  } catch (error) {
    const reason = revertReasonOf(error)
    if (reason) return reason
  }
  try {
    const trace = (await publicClient.request({
      method: 'debug_traceTransaction' as never,
      params: [parameters.transactionHash, { tracer: 'callTracer' }] as never,
    })) as { revertReason?: string; error?: string; calls?: unknown[] }
    return deepestRevertReason(trace)
  } catch {
    return undefined
  }
}

function deepestRevertReason(frame: {
  revertReason?: string
  calls?: unknown[]
}): string | undefined {
  for (const child of (frame.calls ?? []) as { revertReason?: string; calls?: unknown[] }[]) {
    const reason = deepestRevertReason(child)
    if (reason) return reason
  }
  return frame.revertReason
}
