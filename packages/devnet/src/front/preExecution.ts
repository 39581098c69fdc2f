import { encodeStandInResult, resultAccountAddress } from '@opengradient/contracts/devnet'
import { type Address, BaseError, type Hex } from '@opengradient/core'
import { keccak256, toHex } from 'viem'
import {
  type JsonRpcClient,
  type JsonRpcErrorObject,
  JsonRpcResponseError,
} from '../rpc/jsonRpc.js'

/** A call to a precompile stand-in found in a transaction's trace. */
export type PrecompileCall = {
  /** Calldata of the call (selector and arguments). */
  input: Hex
  /** The id the stand-in will put in its event for this call. */
  inferenceId: string
}

/** The off-chain answer to a precompile call: the ABI-encoded return value, or a revert reason. */
export type PrecompileAnswer = { ok: true; payload: Hex } | { ok: false; reason: string }

/**
 * Answers the calls made to one precompile address. A handler whose answers depend only on the
 * request (a model run, not an LLM sample) may also take `prefetch`: the front calls it when a
 * request is merely likely (its transaction was estimated), and the call that follows with the
 * same input takes the work already done.
 */
export type PrecompileHandler = ((call: PrecompileCall) => Promise<PrecompileAnswer>) & {
  prefetch?: ((input: Hex) => void) | undefined
}

/** A precompile call known without tracing, with the stand-in it goes to. */
export type PredictedCall = { to: Address; input: Hex }

/**
 * Knows, for some transactions, exactly which precompile calls they make (e.g. a direct call to
 * the inference hub, whose code is ours), so the front can skip tracing them. Returns
 * `undefined` for transactions it does not know.
 *
 * A prediction is a promise about execution: every predicted call is made, in order, none is
 * caught, and each one that consumes its answer emits exactly one log from its stand-in. The
 * front relies on it to place answers for queued transactions before the earlier ones are
 * mined, and checks every receipt against it.
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

/** How a queued transaction ended, as its send reports it to {@link Reservation.settle}. */
export type SendOutcome =
  /** The node refused the transaction: it was never mined. */
  | { kind: 'rejected' }
  /** It is unknown whether (or how) the transaction was mined, e.g. after a timeout. */
  | { kind: 'unknown' }
  /** Mined; `logAddresses` are the emitters of the receipt's logs, in order. */
  | { kind: 'mined'; success: boolean; logAddresses: readonly string[] }

/** A transaction's place in the send queue; see {@link PreExecutor.reserve}. */
export type Reservation = {
  /**
   * Resolves once every answer of the transaction sits where the stand-ins will read it when it
   * executes: call it in the transaction's turn, when every transaction queued before it has
   * settled. Predicted answers were usually placed earlier and are only checked here; other
   * transactions are traced now (again while their later calls change). Returns the number of
   * answers placed.
   */
  ready(): Promise<number>
  /**
   * Reports how the send ended, which confirms or corrects the places of later answers. Await
   * it before the next transaction's turn.
   */
  settle(outcome: SendOutcome): Promise<void>
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
   * Starts the deterministic work of a transaction that is likely to be sent (it is being
   * estimated): predicted calls go to their handlers' `prefetch`. Does nothing for others.
   */
  prefetch(transaction: TraceableTransaction): void
  /** Tells whether the front knows the transaction's precompile calls without a trace. */
  isPredicted(transaction: TraceableTransaction): boolean
  /**
   * Gives the transaction its place in the send queue. Call it in queue order, synchronously
   * where the transaction is queued, and then call `ready` in its turn and `settle` after it.
   */
  reserve(transaction: TraceableTransaction): Reservation
  /** Removes answers that executed transactions consumed, keeping the chain state small. */
  sweep(): Promise<void>
  /**
   * Forgets every result index the front tracks, so the next ones are read from the chain: call
   * it after anything that may rewind or rewrite chain state (snapshots, resets, state loads).
   */
  invalidate(): void
}

/** Storage slot of a stand-in's `nextResultIndex`. */
const nextResultIndexSlot = '0x0'

/** One call to a stand-in, with everything derived from it computed once. */
type StandInCall = {
  input: Hex
  /** `keccak256(input)`: what the stand-in checks before consuming an answer. */
  requestHash: Hex
  /** Identifies the call: stand-in, sender and nonce, position, request. */
  key: string
  inferenceId: Hex
}

/** The answers of one transaction's calls to one stand-in. */
type PlannedCalls = {
  calls: StandInCall[]
  answers: PrecompileAnswer[]
}

/** Where a predicted transaction's answers were placed ahead of its turn. */
type Plan = {
  calls: Map<string, PlannedCalls>
  /** Every answer is a result: the transaction consumes one index per call. */
  consumes: boolean
  /** Per stand-in, the first index its answers were placed at. */
  base: Map<string, bigint>
  /** The placing of the answers, under way while later transactions are planned. */
  placing: Promise<number>
}

/**
 * Creates the pre-execution engine of the devnet's JSON-RPC front: the local counterpart of
 * the real chain's PIPE (simulate, run the inference requests found, execute with results).
 *
 * Answers live at result index `nextResultIndex + k` for the k-th call to a stand-in, which is
 * why sends are serialized. The front is the only writer of those indices, so it tracks them
 * instead of reading them per send, and places the answers of queued predicted transactions
 * while earlier ones are still being mined: it assumes each earlier transaction consumes what
 * it predicts, and each transaction checks its place in its turn (re-placing its answers when
 * an earlier one reverted). The inference id of an answer is derived from the sender, the
 * nonce, the call's position and its calldata, so it is unique per mined call and known before
 * the transaction's turn comes.
 *
 * @example
 * ```ts
 * const preExecutor = createPreExecutor({ rpc, handlers: { [inferencePrecompileAddress]: answer } })
 * const reservation = preExecutor.reserve({ from, to, data, nonce })
 * await reservation.ready()
 * // … send the transaction …
 * reservation.settle({ kind: 'mined', success: true, logAddresses })
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
  // Per stand-in: result index -> key of the answer that sits there.
  const installed = new Map<string, Map<bigint, string>>()
  for (const address of handlers.keys()) installed.set(address, new Map())
  // Answers computed ahead of their transaction's turn, by call identity.
  const early = new Map<string, Promise<PrecompileAnswer>>()
  // Predictions by transaction, so precomputing and reserving one decode it once.
  const predictions = new WeakMap<TraceableTransaction, Map<string, StandInCall[]> | undefined>()
  // And by content, so the estimate and the send of one transaction decode it once. Bounded:
  // an estimate need not be followed by a send.
  const predictedByContent = new Map<string, PredictedCall[] | undefined>()
  // Request hashes computed while a transaction was estimated, for its send.
  const requestHashes = new Map<Hex, Hex>()
  let anonymous = 0

  // Per stand-in: the next result index once every settled transaction executed (exact), and
  // once every reserved one did too, assuming each consumes what it predicts (speculative).
  // Absent: unknown, read from the chain when needed.
  const confirmed = new Map<string, bigint>()
  const cursor = new Map<string, bigint>()
  // Bumped by `invalidate`, so a send that started before it does not write back stale indices.
  let generation = 0
  // Reservations are planned one after another, in queue order.
  let planning: Promise<unknown> = Promise.resolve()
  let unsettled = 0
  let stale = false
  let sweeping: Promise<void> | undefined
  let codes: { account: Address; code: Hex; resolve(): void; reject(error: unknown): void }[] = []
  // Placings not known to be done: after a misprediction, planning waits for them, so a place
  // given up is never written after its index was given to another answer.
  const placings = new Set<Promise<unknown>>()

  async function readIndex(standIn: string): Promise<bigint> {
    return BigInt(
      await rpc.request<Hex>('eth_getStorageAt', [standIn, nextResultIndexSlot, 'latest']),
    )
  }

  async function exactIndex(standIn: string): Promise<bigint> {
    const known = confirmed.get(standIn)
    if (known !== undefined) return known
    const current = generation
    const index = await readIndex(standIn)
    if (current === generation && !confirmed.has(standIn)) confirmed.set(standIn, index)
    return index
  }

  function identityOf(transaction: TraceableTransaction): string {
    // Without a nonce (eth_sendTransaction may omit it) the id only needs to be unique.
    const nonce = transaction.nonce ?? `anonymous-${Date.now()}-${anonymous++}`
    return `${transaction.from.toLowerCase()}:${nonce}`
  }

  /**
   * Hashing a request of a few kilobytes is one of the costlier steps of a send: it is done once
   * per request, when its transaction is estimated when possible, and kept for the send.
   */
  function requestHashOf(input: Hex): Hex {
    const known = requestHashes.get(input)
    if (known) {
      requestHashes.delete(input)
      return known
    }
    return keccak256(input)
  }

  function standInCall(standIn: string, identity: string, offset: number, input: Hex): StandInCall {
    const requestHash = requestHashOf(input)
    const key = `${standIn}:${identity}:${offset}:${requestHash}`
    return { input, requestHash, key, inferenceId: keccak256(toHex(key)) }
  }

  function answer(standIn: string, call: StandInCall): Promise<PrecompileAnswer> {
    const existing = early.get(call.key)
    if (existing) return existing
    const pending = handlers.get(standIn)!({ input: call.input, inferenceId: call.inferenceId })
    early.set(call.key, pending)
    return pending
  }

  function predict(transaction: TraceableTransaction): PredictedCall[] | undefined {
    if (!parameters.predict) return undefined
    const content = `${transaction.to?.toLowerCase()}:${transaction.value ?? ''}:${transaction.data}`
    if (predictedByContent.has(content)) return predictedByContent.get(content)
    const predicted = parameters.predict(transaction)
    predictedByContent.set(content, predicted)
    if (predictedByContent.size > 256) {
      predictedByContent.delete(predictedByContent.keys().next().value as string)
    }
    return predicted
  }

  /** The predicted calls of a transaction by stand-in, or `undefined` when it must be traced. */
  function predictedCalls(
    transaction: TraceableTransaction,
  ): Map<string, StandInCall[]> | undefined {
    if (predictions.has(transaction)) return predictions.get(transaction)
    const predicted = predict(transaction)
    let calls: Map<string, StandInCall[]> | undefined
    if (predicted) {
      const identity = identityOf(transaction)
      calls = new Map()
      for (const call of predicted) {
        const to = call.to.toLowerCase()
        if (!handlers.has(to)) continue
        const list = calls.get(to) ?? []
        list.push(standInCall(to, identity, list.length, call.input))
        calls.set(to, list)
      }
    }
    predictions.set(transaction, calls)
    return calls
  }

  /**
   * Sets an account's code. Codes set in the same turn of the event loop go to anvil in one
   * JSON-RPC batch: a burst of queued sends places its answers in a few requests. Their order
   * does not matter, every account is another.
   */
  function setCode(account: Address, code: Hex): Promise<void> {
    return new Promise((resolve, reject) => {
      codes.push({ account, code, resolve, reject })
      if (codes.length === 1) setImmediate(flushCodes)
    })
  }

  async function flushCodes(): Promise<void> {
    const batch = codes
    codes = []
    try {
      if (batch.length === 1) {
        await rpc.request('anvil_setCode', [batch[0]!.account, batch[0]!.code])
        batch[0]!.resolve()
        return
      }
      const answers = JSON.parse(
        await rpc.forward(
          JSON.stringify(
            batch.map(({ account, code }, id) => ({
              jsonrpc: '2.0',
              id,
              method: 'anvil_setCode',
              params: [account, code],
            })),
          ),
        ),
      ) as { id: number; error?: JsonRpcErrorObject }[]
      const errors = new Map(answers.map((answer) => [answer.id, answer.error]))
      for (const [id, entry] of batch.entries()) {
        const error = errors.get(id)
        if (error) entry.reject(new JsonRpcResponseError('anvil_setCode', error))
        else entry.resolve()
      }
    } catch (error) {
      for (const entry of batch) entry.reject(error)
    }
  }

  /** Places one answer at `index`, unless that very answer is already there. */
  async function place(
    standIn: string,
    index: bigint,
    call: StandInCall,
    result: PrecompileAnswer,
  ): Promise<boolean> {
    const slots = installed.get(standIn)!
    if (slots.get(index) === call.key) return false
    const code = encodeStandInResult({
      requestHash: call.requestHash,
      ok: result.ok,
      inferenceId: call.inferenceId,
      payload: result.ok ? result.payload : toHex(result.reason),
    })
    await setCode(resultAccountAddress(standIn as Address, index), code)
    slots.set(index, call.key)
    return true
  }

  async function placeAll(calls: Map<string, PlannedCalls>, base: Map<string, bigint>) {
    const placed = await Promise.all(
      [...calls].flatMap(([standIn, planned]) =>
        planned.calls.map((call, offset) =>
          place(standIn, base.get(standIn)! + BigInt(offset), call, planned.answers[offset]!),
        ),
      ),
    )
    return placed.filter(Boolean).length
  }

  /** Answers and places the calls found by a trace; returns how many answers were new. */
  async function install(calls: Map<string, Hex[]>, identity: string): Promise<number> {
    let placed = 0
    for (const [standIn, inputs] of calls) {
      if (inputs.length === 0) continue
      const base = await exactIndex(standIn)
      const slots = installed.get(standIn)!
      for (const [offset, input] of inputs.entries()) {
        const call = standInCall(standIn, identity, offset, input)
        if (slots.get(base + BigInt(offset)) === call.key) continue
        const result = await answer(standIn, call)
        early.delete(call.key)
        if (await place(standIn, base + BigInt(offset), call, result)) placed++
      }
    }
    return placed
  }

  function collect(frame: CallFrame, into: Map<string, Hex[]>): void {
    const to = frame.to?.toLowerCase()
    if (to && handlers.has(to) && frame.input) into.get(to)?.push(frame.input)
    for (const child of frame.calls ?? []) collect(child, into)
  }

  async function trace(transaction: TraceableTransaction, identity: string): Promise<number> {
    let placed = 0
    for (let round = 0; round < maxRounds; round++) {
      const frame = await rpc.request<CallFrame>('debug_traceCall', [
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
      collect(frame, calls)
      const added = await install(calls, identity)
      if (added === 0) return placed
      placed += added
    }
    throw new BaseError(
      `The transaction's inference calls did not settle after ${maxRounds} pre-execution rounds.`,
      { metaMessages: ['Each round fed real results back; later calls kept changing.'] },
    )
  }

  /** Reads every stand-in's index from the chain; later reservations start from there. */
  async function resync(standIns: Iterable<string>): Promise<void> {
    const current = generation
    await Promise.all(
      [...standIns].map(async (standIn) => {
        const index = await readIndex(standIn)
        if (current !== generation) return
        confirmed.set(standIn, index)
        cursor.set(standIn, index)
      }),
    )
  }

  function drainPlacings(): void {
    const pending = [...placings]
    if (pending.length > 0) planning = planning.then(() => Promise.allSettled(pending))
  }

  function settled(): void {
    unsettled--
    if (unsettled === 0) {
      // Nothing queued: the cursor is the chain's index again, whatever it drifted by.
      for (const [standIn, index] of confirmed) cursor.set(standIn, index)
      if (stale) {
        stale = false
        // In the planning chain, so no answer is placed while the leftovers are cleared.
        planning = planning.then(() => clear(false)).catch(() => {})
      }
    }
    if (!sweeping && sweepDue()) {
      sweeping = clear(true)
        .catch(() => {})
        .finally(() => {
          sweeping = undefined
        })
    }
  }

  function sweepDue(): boolean {
    for (const [standIn, slots] of installed) {
      if (confirmed.has(standIn) && slots.size >= sweepThreshold) return true
    }
    return false
  }

  /**
   * Removes consumed answers (below each stand-in's next index) or, with `consumedOnly` false
   * and nothing queued, every placed answer: those at or above the next index were left behind
   * by transactions that did not consume what they predicted, and are nobody's now.
   */
  async function clear(consumedOnly: boolean): Promise<void> {
    const batch: { standIn: string; index: bigint; key: string }[] = []
    for (const [standIn, slots] of installed) {
      const next = confirmed.get(standIn)
      if (next === undefined && consumedOnly) continue
      for (const [index, key] of slots) {
        if (!consumedOnly || (next !== undefined && index < next)) {
          batch.push({ standIn, index, key })
        }
      }
    }
    if (batch.length === 0) return
    // One JSON-RPC batch: this is housekeeping and must not hold up the send queue.
    const body = batch.map(({ standIn, index }, id) => ({
      jsonrpc: '2.0',
      id,
      method: 'anvil_setCode',
      params: [resultAccountAddress(standIn as Address, index), '0x'],
    }))
    await rpc.forward(JSON.stringify(body))
    for (const { standIn, index, key } of batch) {
      const slots = installed.get(standIn)!
      if (slots.get(index) === key) slots.delete(index)
    }
  }

  function reservePredicted(grouped: Map<string, StandInCall[]>): Reservation {
    let resolveOutcome!: (outcome: SendOutcome) => void
    const outcome = new Promise<SendOutcome>((resolve) => {
      resolveOutcome = resolve
    })
    // How far this reservation moved each stand-in's cursor.
    const advanced = new Map<string, bigint>()
    const plan: Promise<Plan> = planning.then(async () => {
      const calls = new Map<string, PlannedCalls>()
      for (const [standIn, list] of grouped) {
        const answers = await Promise.all(list.map((call) => answer(standIn, call)))
        for (const call of list) early.delete(call.key)
        calls.set(standIn, { calls: list, answers })
      }
      const consumes = [...calls.values()].every((planned) =>
        planned.answers.every((result) => result.ok),
      )
      const base = new Map<string, bigint>()
      for (const [standIn, planned] of calls) {
        // The cursor runs ahead of the chain by the queued transactions; after `invalidate` the
        // chain may be ahead of it. The larger of both never lands on a queued answer.
        const known = await exactIndex(standIn)
        const speculative = cursor.get(standIn)
        const start = speculative !== undefined && speculative > known ? speculative : known
        const count = consumes ? BigInt(planned.calls.length) : 0n
        base.set(standIn, start)
        cursor.set(standIn, start + count)
        advanced.set(standIn, count)
      }
      const placing = placeAll(calls, base)
      placings.add(placing)
      placing.then(
        () => placings.delete(placing),
        () => placings.delete(placing),
      )
      return { calls, consumes, base, placing }
    })
    // A failing answer reverts its transaction, which then consumes nothing: the next answer
    // goes to the same index, so it may only be placed once this transaction is mined.
    planning = plan.then(
      (planned) => (planned.consumes ? undefined : outcome),
      () => outcome,
    )

    let planned: Plan | undefined
    let exact: Map<string, bigint> | undefined
    let readyGeneration = generation
    return {
      async ready() {
        planned = await plan
        await planned.placing
        readyGeneration = generation
        const indices = new Map<string, bigint>()
        for (const standIn of planned.calls.keys()) {
          indices.set(standIn, await exactIndex(standIn))
        }
        if ([...indices].some(([standIn, index]) => planned!.base.get(standIn) !== index)) {
          // An earlier transaction did not consume what it predicted: its first places are
          // nobody's now.
          stale = true
        }
        // Places only what is not already there: normally nothing.
        await placeAll(planned.calls, indices)
        exact = indices
        return [...planned.calls.values()].reduce((sum, calls) => sum + calls.calls.length, 0)
      },
      async settle(result) {
        resolveOutcome(result)
        try {
          if (!planned) {
            // Never got its turn (planning or placing failed, or it went back to wait for its
            // nonce): it was not sent, so the transactions planned after it assumed
            // consumptions that will not happen.
            await plan.catch(() => {})
            for (const [standIn, count] of advanced) {
              const speculative = cursor.get(standIn)
              if (speculative !== undefined) cursor.set(standIn, speculative - count)
              stale = true
              drainPlacings()
            }
            return
          }
          for (const [standIn, calls] of planned.calls) {
            const count = BigInt(calls.calls.length)
            const start = exact?.get(standIn) ?? (await exactIndex(standIn))
            const expected = planned.consumes ? start + count : start
            let actual: bigint | undefined
            if (result.kind === 'rejected') actual = start
            else if (exact && result.kind === 'mined') {
              if (!result.success) actual = start
              else if (planned.consumes) {
                // Every consumed answer logs once from its stand-in (the predictor's promise);
                // anything else means answers were consumed or placed outside the front.
                const logs = result.logAddresses.filter((address) => address === standIn).length
                if (BigInt(logs) === count) actual = expected
              }
            }
            if (actual === undefined || readyGeneration !== generation) {
              actual = await readIndex(standIn)
              if (readyGeneration !== generation) continue
            }
            confirmed.set(standIn, actual)
            if (actual !== expected) {
              stale = true
              const speculative = cursor.get(standIn)
              if (speculative !== undefined) cursor.set(standIn, speculative + actual - expected)
              drainPlacings()
            }
          }
        } finally {
          settled()
        }
      },
    }
  }

  function reserveTraced(transaction: TraceableTransaction, identity: string): Reservation {
    let resolveOutcome!: (outcome: SendOutcome) => void
    const outcome = new Promise<SendOutcome>((resolve) => {
      resolveOutcome = resolve
    })
    const previous = planning
    // What a traced transaction consumes is only known from the chain: later reservations wait
    // until it is mined and the indices are read again.
    const reread = outcome.then(() => resync(handlers.keys()))
    planning = reread.catch(() => {})
    return {
      async ready() {
        await previous
        return await trace(transaction, identity)
      },
      async settle(result) {
        resolveOutcome(result)
        try {
          await reread
        } catch {
          // Unreadable now: the next transaction reads the chain itself.
          for (const standIn of handlers.keys()) confirmed.delete(standIn)
        } finally {
          settled()
        }
      },
    }
  }

  return {
    precompute(transaction) {
      if (transaction.nonce === undefined) return
      for (const [standIn, calls] of predictedCalls(transaction) ?? []) {
        // Failures surface when the answer is placed; nothing is lost by starting early.
        for (const call of calls) answer(standIn, call).catch(() => {})
      }
    },
    prefetch(transaction) {
      for (const call of predict(transaction) ?? []) {
        const handler = handlers.get(call.to.toLowerCase())
        if (!handler) continue
        handler.prefetch?.(call.input)
        if (!requestHashes.has(call.input)) {
          requestHashes.set(call.input, keccak256(call.input))
          if (requestHashes.size > 256) {
            requestHashes.delete(requestHashes.keys().next().value as Hex)
          }
        }
      }
    },
    isPredicted(transaction) {
      return predict(transaction) !== undefined
    },
    reserve(transaction) {
      unsettled++
      const predicted = predictedCalls(transaction)
      return predicted
        ? reservePredicted(predicted)
        : reserveTraced(transaction, identityOf(transaction))
    },
    async sweep() {
      await sweeping
      await clear(true)
    },
    invalidate() {
      generation++
      confirmed.clear()
      cursor.clear()
      // Code placed earlier may have been rolled back or replaced: never trust it as placed.
      for (const slots of installed.values()) slots.clear()
    },
  }
}
