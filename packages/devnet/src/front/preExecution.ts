import { encodeStandInResult, resultAccountAddress } from '@opengradient/contracts/devnet'
import { type Address, BaseError, type Hex } from '@opengradient/core'
import { keccak256, toHex } from 'viem'
import type { JsonRpcClient } from '../rpc/jsonRpc.js'

/** A call to a precompile stand-in found in a transaction's trace. */
export type PrecompileCall = {
  /** Calldata of the call (selector and arguments). */
  input: Hex
  /** The id the stand-in will put in its event for this call. */
  inferenceId: string
}

/** The off-chain answer to a precompile call: the ABI-encoded return value, or a revert reason. */
export type PrecompileAnswer = { ok: true; payload: Hex } | { ok: false; reason: string }

/** Answers the calls made to one precompile address. */
export type PrecompileHandler = (call: PrecompileCall) => Promise<PrecompileAnswer>

/** A precompile call known without tracing, with the stand-in it goes to. */
export type PredictedCall = { to: Address; input: Hex }

/**
 * Knows, for some transactions, exactly which precompile calls they make (e.g. a direct call to
 * the inference hub, whose code is ours), so the front can skip tracing them. Returns
 * `undefined` for transactions it does not know.
 */
export type CallPredictor = (transaction: TraceableTransaction) => PredictedCall[] | undefined

/** The fields of a transaction that a `debug_traceCall` needs, and its sender's nonce. */
export type TraceableTransaction = {
  from: Address
  to?: Address | null | undefined
  data?: Hex | undefined
  value?: Hex | undefined
  gas?: Hex | undefined
  /** Identifies the transaction (with `from`) so answers computed early can be found again. */
  nonce?: number | undefined
}

type CallFrame = {
  type: string
  to?: string
  input?: Hex
  calls?: CallFrame[]
}

export type PreExecutor = {
  /**
   * Starts answering the transaction's predicted precompile calls right away. Answers do not
   * depend on chain state, so this runs outside the send queue and overlaps with other sends.
   */
  precompute(transaction: TraceableTransaction): void
  /**
   * Answers every precompile call of the transaction (predicted, or found by tracing) and
   * places the answers where the stand-ins read them; a traced transaction is traced again
   * while later calls change because earlier ones now have real results. Returns the number
   * of answers placed.
   */
  prepare(transaction: TraceableTransaction): Promise<number>
  /** Removes answers that executed transactions consumed, keeping the chain state small. */
  sweep(): Promise<void>
}

/** Storage slot of a stand-in's `nextResultIndex`. */
const nextResultIndexSlot = '0x0'

/**
 * Creates the pre-execution engine of the devnet's JSON-RPC front: the local counterpart of
 * the real chain's PIPE (simulate, run the inference requests found, execute with results).
 *
 * Answers live at result index `nextResultIndex + k` for the k-th call to a stand-in, which is
 * why sends must be serialized. The inference id of an answer is derived from the sender, the
 * nonce, the call's position and its calldata, so it is unique per mined call and known before
 * the transaction's turn comes.
 *
 * @example
 * ```ts
 * const preExecutor = createPreExecutor({ rpc, handlers: { [inferencePrecompileAddress]: answer } })
 * await preExecutor.prepare({ from, to, data })
 * ```
 */
export function createPreExecutor(parameters: {
  rpc: JsonRpcClient
  handlers: Readonly<Record<Address, PrecompileHandler>>
  /** Upper bound on trace rounds for one transaction. @default 16 */
  maxRounds?: number | undefined
  /** Transactions whose precompile calls are known without a trace. */
  predict?: CallPredictor | undefined
  /** Consumed answers are removed once this many have accumulated. @default 64 */
  sweepThreshold?: number | undefined
}): PreExecutor {
  const { rpc, maxRounds = 16, sweepThreshold = 64 } = parameters
  const handlers = new Map(
    Object.entries(parameters.handlers).map(([address, handler]) => [
      address.toLowerCase(),
      handler,
    ]),
  )
  // Per stand-in: result index -> hash of the calldata whose answer sits there.
  const installed = new Map<string, Map<bigint, Hex>>()
  for (const address of handlers.keys()) installed.set(address, new Map())
  // Answers computed ahead of their transaction's turn, by call identity.
  const early = new Map<string, Promise<PrecompileAnswer>>()
  let anonymous = 0

  async function nextIndex(standIn: string): Promise<bigint> {
    return BigInt(
      await rpc.request<Hex>('eth_getStorageAt', [standIn, nextResultIndexSlot, 'latest']),
    )
  }

  function identityOf(transaction: TraceableTransaction): string {
    // Without a nonce (eth_sendTransaction may omit it) the id only needs to be unique.
    const nonce = transaction.nonce ?? `anonymous-${Date.now()}-${anonymous++}`
    return `${transaction.from.toLowerCase()}:${nonce}`
  }

  function callKey(standIn: string, identity: string, offset: number, requestHash: Hex): string {
    return `${standIn}:${identity}:${offset}:${requestHash}`
  }

  function answer(standIn: string, key: string, input: Hex): Promise<PrecompileAnswer> {
    const existing = early.get(key)
    if (existing) return existing
    const inferenceId = keccak256(toHex(key))
    const pending = handlers.get(standIn)!({ input, inferenceId })
    early.set(key, pending)
    return pending
  }

  function groupPredicted(predicted: PredictedCall[]): Map<string, Hex[]> {
    const calls = new Map<string, Hex[]>()
    for (const call of predicted) {
      const to = call.to.toLowerCase()
      if (handlers.has(to)) calls.set(to, [...(calls.get(to) ?? []), call.input])
    }
    return calls
  }

  /** Places answers for the calls; returns how many were new. */
  async function install(calls: Map<string, Hex[]>, identity: string): Promise<number> {
    let placed = 0
    for (const [standIn, inputs] of calls) {
      if (inputs.length === 0) continue
      const base = await nextIndex(standIn)
      const slots = installed.get(standIn)!
      for (const [offset, input] of inputs.entries()) {
        const index = base + BigInt(offset)
        const requestHash = keccak256(input)
        if (slots.get(index) === requestHash) continue
        const key = callKey(standIn, identity, offset, requestHash)
        const result = await answer(standIn, key, input)
        early.delete(key)
        const code = encodeStandInResult({
          requestHash,
          ok: result.ok,
          inferenceId: keccak256(toHex(key)),
          payload: result.ok ? result.payload : toHex(result.reason),
        })
        await rpc.request('anvil_setCode', [resultAccountAddress(standIn as Address, index), code])
        slots.set(index, requestHash)
        placed++
      }
    }
    return placed
  }

  function collect(frame: CallFrame, into: Map<string, Hex[]>): void {
    const to = frame.to?.toLowerCase()
    if (to && handlers.has(to) && frame.input) into.get(to)?.push(frame.input)
    for (const child of frame.calls ?? []) collect(child, into)
  }

  return {
    precompute(transaction) {
      if (transaction.nonce === undefined) return
      const predicted = parameters.predict?.(transaction)
      if (!predicted) return
      const identity = identityOf(transaction)
      for (const [standIn, inputs] of groupPredicted(predicted)) {
        for (const [offset, input] of inputs.entries()) {
          // Failures surface when the answer is installed; nothing is lost by starting early.
          answer(standIn, callKey(standIn, identity, offset, keccak256(input)), input).catch(
            () => {},
          )
        }
      }
    },
    async prepare(transaction) {
      const identity = identityOf(transaction)
      const predicted = parameters.predict?.(transaction)
      if (predicted) return await install(groupPredicted(predicted), identity)

      let placed = 0
      for (let round = 0; round < maxRounds; round++) {
        const trace = await rpc.request<CallFrame>('debug_traceCall', [
          {
            from: transaction.from,
            ...(transaction.to ? { to: transaction.to } : {}),
            ...(transaction.data ? { data: transaction.data } : {}),
            ...(transaction.value ? { value: transaction.value } : {}),
            ...(transaction.gas ? { gas: transaction.gas } : {}),
          },
          'latest',
          { tracer: 'callTracer' },
        ])
        const calls = new Map<string, Hex[]>([...handlers.keys()].map((address) => [address, []]))
        collect(trace, calls)
        const added = await install(calls, identity)
        if (added === 0) return placed
        placed += added
      }
      throw new BaseError(
        `The transaction's inference calls did not settle after ${maxRounds} pre-execution rounds.`,
        { metaMessages: ['Each round fed real results back; later calls kept changing.'] },
      )
    },
    async sweep() {
      for (const [standIn, slots] of installed) {
        if (slots.size < sweepThreshold) continue
        const next = await nextIndex(standIn)
        for (const index of [...slots.keys()]) {
          if (index >= next) continue
          await rpc.request('anvil_setCode', [
            resultAccountAddress(standIn as Address, index),
            '0x',
          ])
          slots.delete(index)
        }
      }
    },
  }
}
