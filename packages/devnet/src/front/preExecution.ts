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

/** The fields of a transaction that a `debug_traceCall` needs. */
export type TraceableTransaction = {
  from: Address
  to?: Address | null | undefined
  data?: Hex | undefined
  value?: Hex | undefined
  gas?: Hex | undefined
}

type CallFrame = {
  type: string
  to?: string
  input?: Hex
  calls?: CallFrame[]
}

export type PreExecutor = {
  /**
   * Traces the transaction, answers every precompile call found in it and places the answers
   * where the stand-ins read them; repeats while later calls change because earlier ones now
   * have real results. Returns the number of answers prepared.
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
  const prepared = new Map<string, Map<bigint, Hex>>()
  for (const address of handlers.keys()) prepared.set(address, new Map())

  async function nextIndex(standIn: string): Promise<bigint> {
    return BigInt(
      await rpc.request<Hex>('eth_getStorageAt', [standIn, nextResultIndexSlot, 'latest']),
    )
  }

  function collect(frame: CallFrame, into: Map<string, Hex[]>): void {
    const to = frame.to?.toLowerCase()
    if (to && handlers.has(to) && frame.input) into.get(to)?.push(frame.input)
    for (const child of frame.calls ?? []) collect(child, into)
  }

  return {
    async prepare(transaction) {
      let answered = 0
      const answerAll = async (calls: Map<string, Hex[]>): Promise<boolean> => {
        let changed = false
        for (const [standIn, inputs] of calls) {
          if (inputs.length === 0) continue
          const base = await nextIndex(standIn)
          const slots = prepared.get(standIn)!
          for (const [offset, input] of inputs.entries()) {
            const index = base + BigInt(offset)
            const requestHash = keccak256(input)
            if (slots.get(index) === requestHash) continue
            const inferenceId = keccak256(
              `0x${standIn.slice(2)}${index.toString(16).padStart(64, '0')}${requestHash.slice(2)}`,
            )
            const answer = await handlers.get(standIn)!({ input, inferenceId })
            const code = encodeStandInResult({
              requestHash,
              ok: answer.ok,
              inferenceId,
              payload: answer.ok ? answer.payload : toHex(answer.reason),
            })
            await rpc.request('anvil_setCode', [
              resultAccountAddress(standIn as Address, index),
              code,
            ])
            slots.set(index, requestHash)
            answered++
            changed = true
          }
        }
        return changed
      }

      const predicted = parameters.predict?.(transaction)
      if (predicted) {
        const calls = new Map<string, Hex[]>()
        for (const call of predicted) {
          const to = call.to.toLowerCase()
          if (!handlers.has(to)) continue
          calls.set(to, [...(calls.get(to) ?? []), call.input])
        }
        await answerAll(calls)
        return answered
      }

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
        let changed = false
        for (const [standIn, inputs] of calls) {
          if (inputs.length === 0) continue
          const base = await nextIndex(standIn)
          const slots = prepared.get(standIn)!
          for (const [offset, input] of inputs.entries()) {
            const index = base + BigInt(offset)
            const requestHash = keccak256(input)
            if (slots.get(index) === requestHash) continue
            const inferenceId = keccak256(
              `0x${standIn.slice(2)}${index.toString(16).padStart(64, '0')}${requestHash.slice(2)}`,
            )
            const answer = await handlers.get(standIn)!({ input, inferenceId })
            const code = encodeStandInResult({
              requestHash,
              ok: answer.ok,
              inferenceId,
              payload: answer.ok ? answer.payload : toHex(answer.reason),
            })
            await rpc.request('anvil_setCode', [
              resultAccountAddress(standIn as Address, index),
              code,
            ])
            slots.set(index, requestHash)
            answered++
            changed = true
          }
        }
        if (!changed) return answered
      }
      throw new BaseError(
        `The transaction's inference calls did not settle after ${maxRounds} pre-execution rounds.`,
        { metaMessages: ['Each round fed real results back; later calls kept changing.'] },
      )
    },
    async sweep() {
      for (const [standIn, slots] of prepared) {
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
