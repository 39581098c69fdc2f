import {
  consumedResultsSlot,
  encodeStandInResult,
  resultAccountAddress,
  standInResultWindow,
} from '@opengradient/contracts/devnet'
import { type Address, BaseError, type Hex } from '@opengradient/core'
import { bytesToHex, hexToBytes, numberToHex, toHex } from 'viem'
import {
  type JsonRpcClient,
  type JsonRpcErrorObject,
  JsonRpcResponseError,
} from '../rpc/jsonRpc.js'
import { keccak256Bytes } from './keccak.js'

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
 * same input takes the work already done. It returns `true` when it started that work, i.e.
 * when the request's answer is a function of the request: the front then places an answer
 * ahead of the send.
 */
export type PrecompileHandler = ((call: PrecompileCall) => Promise<PrecompileAnswer>) & {
  prefetch?: ((input: Hex) => boolean) | undefined
}

/** A precompile call known without tracing, with the stand-in it goes to. */
export type PredictedCall = { to: Address; input: Hex }

/**
 * Knows, for some transactions, exactly which precompile calls they make (e.g. a direct call to
 * the inference hub, whose code is ours), so the front can skip tracing them. Returns
 * `undefined` for transactions it does not know.
 *
 * A prediction is a promise about execution: every predicted call is made, none is caught, and
 * each one that takes its answer emits exactly one log from its stand-in. The front relies on it
 * to send predicted transactions without tracing them, several at once, and checks every
 * receipt against it.
 */
export type CallPredictor = (transaction: TraceableTransaction) => PredictedCall[] | undefined

/** The fields of a transaction that a `debug_traceCall` needs, and its sender's nonce. */
export type TraceableTransaction = {
  from: Address
  to?: Address | null | undefined
  data?: Hex | undefined
  value?: Hex | undefined
  gas?: Hex | undefined
  nonce?: number | undefined
}

/** How a send ended, as the front reports it to {@link Reservation.settle}. */
export type SendOutcome =
  /** The node refused the transaction: it was never mined. */
  | { kind: 'rejected' }
  /** It is unknown whether (or how) the transaction was mined, e.g. after a timeout. */
  | { kind: 'unknown' }
  /** Mined; `logAddresses` are the emitters of the receipt's logs, in order. */
  | { kind: 'mined'; success: boolean; logAddresses: readonly string[] }

/** A transaction's claim on prepared answers; see {@link PreExecutor.reserve}. */
export type Reservation = {
  /**
   * `true` when the transaction's calls are only known from a trace: it must be traced and
   * executed with no other send in flight, so both see the same state. Predicted transactions
   * (`false`) may be in flight together and share blocks.
   */
  exclusive: boolean
  /**
   * Resolves once every answer the transaction will take sits where the stand-ins will read it.
   * Returns the number of precompile calls answered.
   */
  ready(): Promise<number>
  /** Reports how the send ended; answers nobody will take are removed. */
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
   * Starts the deterministic work of a transaction that is likely to be sent (it is being
   * estimated, or it just arrived): predicted calls go to their handlers' `prefetch`, and what
   * the chain knows of their requests is read ahead. Does nothing for other transactions.
   */
  prefetch(transaction: TraceableTransaction): void
  /** Tells whether the front knows the transaction's precompile calls without a trace. */
  isPredicted(transaction: TraceableTransaction): boolean
  /** Claims answers for a transaction about to be sent; `ready` it, send it, then `settle` it. */
  reserve(transaction: TraceableTransaction): Reservation
  /**
   * Forgets everything the front tracks of the chain, so it is read again: call it after
   * anything that may rewind or rewrite chain state (snapshots, resets, state loads).
   */
  invalidate(): void
}

/**
 * Everything the front tracks of one request (one stand-in, one calldata): how many of its
 * answers the chain consumed, which occurrences hold answers, and who will take them.
 */
type RequestState = {
  standIn: string
  input: Hex
  requestHash: Hex
  /** Answers consumed on chain, exact while `known`; the next call takes occurrence `consumed`. */
  consumed: bigint
  known: boolean
  /** Occurrences holding an answer placed by the front (or being placed). */
  placed: Map<bigint, Promise<void>>
  /** The placement each occurrence currently wants written; see `placeOne`. */
  tickets: Map<bigint, number>
  /** Calls of reserved, unsettled transactions: the answers that must be there. */
  reserved: number
  /**
   * Answers placed ahead for sends announced by an estimate, each dropped when its timer ends
   * unclaimed: a send claims one instead of waiting for its answer to be placed.
   */
  spares: ReturnType<typeof setTimeout>[]
  /** Of those, calls of transactions sent and not settled: they may consume any time. */
  inFlight: number
  /** Bumped when a call in flight settles, so a read that overlapped one is not trusted. */
  settlements: number
  /** Calls settled as mined and successful, exact count or not: see `consumedBase`. */
  settledConsumptions: number
  /** Sends waiting for a call in flight to settle, when a window's worth are in flight. */
  landings: (() => void)[]
  /** Result accounts by slot of the window, worked out once: each costs two hashes. */
  accounts: Address[]
}

/**
 * Calls of one request that may be in flight at once: each takes an answer within the window of
 * accounts the stand-in reuses, so one more would need an account a live answer holds.
 */
const resultWindow = Number(standInResultWindow)

/** A transaction's calls, by request, with how many times each is called. */
type Claim = Map<RequestState, number>

/**
 * Creates the pre-execution engine of the devnet's JSON-RPC front: the local counterpart of
 * the real chain's PIPE (simulate, run the inference requests found, execute with results).
 *
 * Answers are addressed by request: the `n`-th answer to a calldata sits at
 * `resultAccountAddress(standIn, keccak256(calldata), n)` and the stand-in takes the next one it
 * has not consumed. Answers to one request are interchangeable, so transactions need not execute
 * in the order they were prepared: predicted transactions are sent together and share blocks,
 * and one that reverts leaves its answer for the next. The front tracks, per request, how many
 * answers were consumed (from receipts, re-read from the chain when a receipt does not say) and
 * keeps one placed answer per call in flight. The inference id of an answer is derived from its
 * stand-in, request and occurrence, so it is unique per consumed answer and known before the
 * transaction is mined.
 *
 * @example
 * ```ts
 * const preExecutor = createPreExecutor({ rpc, handlers: { [inferencePrecompileAddress]: answer } })
 * const reservation = preExecutor.reserve({ from, to, data, nonce })
 * await reservation.ready()
 * // … send the transaction …
 * await reservation.settle({ kind: 'mined', success: true, logAddresses })
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
  /**
   * How long an answer placed for an estimated transaction waits for its send. Until then,
   * calls of the same request see it instead of the simulation answer. @default 2000
   */
  spareTtlMs?: number | undefined
}): PreExecutor {
  const { rpc, maxRounds = 16, spareTtlMs = 2000, sweepThreshold = 64 } = parameters
  const handlers = new Map(
    Object.entries(parameters.handlers).map(([address, handler]) => [
      address.toLowerCase(),
      handler,
    ]),
  )
  const requests = new Map<string, RequestState>()
  // Consumed answers still holding code, removed in batches off the send path.
  let consumedAnswers: { state: RequestState; occurrence: bigint }[] = []
  // Predictions by content, so the estimate and the send of one transaction decode it once.
  // Bounded: an estimate need not be followed by a send.
  const predictedByContent = new Map<string, PredictedCall[] | undefined>()
  // Pending `anvil_setCode` calls, sent together at the next turn of the event loop.
  let codes: { account: Address; code: Hex; resolve(): void; reject(error: unknown): void }[] = []
  // Per result account, the last code change sent: a removal and a placement of the same
  // account must reach the node in the order they were decided.
  const accountWrites = new Map<Address, Promise<void>>()
  // Bumped by `invalidate`, so work started before it does not write back stale knowledge.
  let generation = 0
  // Numbers placements, so one given up while its answer was computed never writes.
  let placements = 0

  function stateOf(standIn: string, input: Hex): RequestState {
    const key = `${standIn}:${input}`
    let state = requests.get(key)
    if (!state) {
      state = {
        standIn,
        input,
        requestHash: bytesToHex(keccak256Bytes(hexToBytes(input))),
        consumed: 0n,
        known: false,
        placed: new Map(),
        tickets: new Map(),
        reserved: 0,
        spares: [],
        inFlight: 0,
        settlements: 0,
        settledConsumptions: 0,
        landings: [],
        accounts: [],
      }
      requests.set(key, state)
    }
    return state
  }

  /** Drops the state of requests nobody holds, so the map stays as small as the traffic. */
  function forget(state: RequestState): void {
    if (claimed(state) > 0 || state.placed.size > 0 || requests.size < 1024) return
    requests.delete(`${state.standIn}:${state.input}`)
  }

  /**
   * Where the request's next call starts (`base`, the consumed count), and how many answers
   * beyond the claimed calls must be placed from there (`extra`). While the front's count is
   * exact that is the count and nothing extra. Otherwise the chain is read: calls settled while
   * the read ran may or may not be in its count, and claims no longer cover them, so they are
   * added as `extra` (answers are interchangeable: one too many is harmless, one too few is
   * not). A read becomes the tracked count only when none of the request's calls was in flight
   * or settled while it ran, or a transaction mined meanwhile would be counted twice. Nothing
   * here waits for calls in flight, which may themselves wait for a send behind this one.
   */
  async function consumedBase(state: RequestState): Promise<{ base: bigint; extra: number }> {
    if (state.known) return { base: state.consumed, extra: 0 }
    const current = generation
    const settlements = state.settlements
    const consumptions = state.settledConsumptions
    const idle = state.inFlight === 0
    const value = BigInt(
      await rpc.request<Hex>('eth_getStorageAt', [
        state.standIn,
        consumedResultsSlot(state.requestHash),
        'latest',
      ]),
    )
    if (state.known) return { base: state.consumed, extra: 0 }
    if (
      idle &&
      state.inFlight === 0 &&
      current === generation &&
      settlements === state.settlements
    ) {
      state.consumed = value
      state.known = true
      retireConsumed(state)
      return { base: value, extra: 0 }
    }
    return { base: value, extra: state.settledConsumptions - consumptions }
  }

  function inferenceIdOf(state: RequestState, occurrence: bigint): Hex {
    const preimage = new Uint8Array(84)
    preimage.set(hexToBytes(state.standIn as Hex), 0)
    preimage.set(hexToBytes(state.requestHash), 20)
    preimage.set(hexToBytes(numberToHex(occurrence, { size: 32 })), 52)
    return bytesToHex(keccak256Bytes(preimage))
  }

  /**
   * Sets an account's code. Codes set in the same turn of the event loop go to anvil in one
   * JSON-RPC batch: a burst of sends places its answers in a few requests.
   */
  function setCode(account: Address, code: Hex): Promise<void> {
    // Registered at once, so writes to one account reach the node in the order decided.
    const previous = accountWrites.get(account) ?? Promise.resolve()
    const write = previous.then(
      () =>
        new Promise<void>((resolve, reject) => {
          codes.push({ account, code, resolve, reject })
          if (codes.length === 1) setImmediate(flushCodes)
        }),
    )
    const tracked = write.catch(() => {})
    accountWrites.set(account, tracked)
    tracked.then(() => {
      if (accountWrites.get(account) === tracked) accountWrites.delete(account)
    })
    return write
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

  function accountOf(state: RequestState, occurrence: bigint): Address {
    const slot = Number(occurrence % standInResultWindow)
    state.accounts[slot] ??= resultAccountAddress(
      state.standIn as Address,
      state.requestHash,
      occurrence,
    )
    return state.accounts[slot]
  }

  /** Answers one occurrence of a request and places the answer. */
  async function placeOne(state: RequestState, occurrence: bigint): Promise<void> {
    const ticket = ++placements
    state.tickets.set(occurrence, ticket)
    const inferenceId = inferenceIdOf(state, occurrence)
    const result = await handlers.get(state.standIn)!({ input: state.input, inferenceId })
    // Given up while the answer was computed (nobody claims it any more, or a newer placement
    // took over): writing it now would leave it behind, after the removal.
    if (state.tickets.get(occurrence) !== ticket) return
    const code = encodeStandInResult({
      occurrence,
      ok: result.ok,
      inferenceId,
      payload: result.ok ? result.payload : toHex(result.reason),
    })
    await setCode(accountOf(state, occurrence), code)
  }

  /** How many answers of a request must be in place: one per reserved call and per spare. */
  function claimed(state: RequestState): number {
    return state.reserved + state.spares.length
  }

  /**
   * Makes sure an answer sits at every occurrence the reserved calls (and spares) of a request
   * will take: from the next unconsumed one, one per call.
   */
  async function placeReserved(state: RequestState): Promise<number> {
    const { base, extra } = await consumedBase(state)
    const pending: Promise<void>[] = []
    let placed = 0
    // Never more than a window: those accounts would be the first ones again.
    const count = Math.min(claimed(state) + extra, resultWindow)
    for (let offset = 0n; offset < BigInt(count); offset++) {
      const occurrence = base + offset
      let placing = state.placed.get(occurrence)
      if (!placing) {
        placing = placeOne(state, occurrence)
        state.placed.set(occurrence, placing)
        const current = generation
        placing.catch(() => {
          if (current === generation && state.placed.get(occurrence) === placing) {
            state.placed.delete(occurrence)
          }
        })
        placed++
      }
      pending.push(placing)
    }
    await Promise.all(pending)
    return placed
  }

  /**
   * Removes the answers of a request that nobody will take (left by transactions that reverted
   * or were never sent), so calls and estimates get the simulation answer again and a failure
   * is not repeated after its cause went away (e.g. a model added since).
   */
  function clearUnclaimed(state: RequestState): void {
    if (claimed(state) > 0 || !state.known) return
    for (const occurrence of [...state.placed.keys()]) {
      if (occurrence < state.consumed) continue
      state.placed.delete(occurrence)
      state.tickets.delete(occurrence)
      setCode(accountOf(state, occurrence), '0x').catch(() => {})
    }
    forget(state)
  }

  function noteConsumed(state: RequestState, count: number): void {
    state.consumed += BigInt(count)
    retireConsumed(state)
  }

  /**
   * Hands the placed answers below the consumed count to the sweep: they were taken, whether
   * the count moved by a receipt or by a read of the chain (after a traced send).
   */
  function retireConsumed(state: RequestState): void {
    for (const occurrence of [...state.placed.keys()]) {
      if (occurrence >= state.consumed) continue
      state.placed.delete(occurrence)
      state.tickets.delete(occurrence)
      consumedAnswers.push({ state, occurrence })
    }
    if (consumedAnswers.length >= sweepThreshold) {
      const batch = consumedAnswers
      consumedAnswers = []
      for (const { state: owner, occurrence } of batch) clearConsumed(owner, occurrence)
    }
  }

  /**
   * Removes the code of a consumed answer: anvil keeps a copy of the state for recent blocks,
   * and every answer left in place makes each copy bigger. Skipped when a later answer of the
   * request already took the account (a window later): the removal would erase it.
   */
  function clearConsumed(state: RequestState, occurrence: bigint): void {
    for (const placed of state.placed.keys()) {
      if (placed > occurrence && (placed - occurrence) % BigInt(resultWindow) === 0n) return
    }
    setCode(accountOf(state, occurrence), '0x').catch(() => {})
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

  function claimOf(calls: Iterable<{ to: string; input: Hex }>): Claim {
    const claim: Claim = new Map()
    for (const call of calls) {
      const standIn = call.to.toLowerCase()
      if (!handlers.has(standIn)) continue
      const state = stateOf(standIn, call.input)
      claim.set(state, (claim.get(state) ?? 0) + 1)
    }
    return claim
  }

  function release(claim: Claim): void {
    for (const [state, count] of claim) {
      state.reserved -= count
      clearUnclaimed(state)
    }
  }

  function landed(claim: Claim): void {
    for (const [state, count] of claim) {
      state.inFlight -= count
      state.settlements++
      for (const wake of state.landings.splice(0)) wake()
    }
  }

  /** Resolves when a call of the request in flight settles. */
  function landing(state: RequestState): Promise<void> {
    return new Promise((resolve) => state.landings.push(resolve))
  }

  /** Announces a likely send of a request whose answer may be placed ahead of it. */
  function addSpare(state: RequestState): void {
    const timer = setTimeout(() => {
      const index = state.spares.indexOf(timer)
      if (index === -1) return
      state.spares.splice(index, 1)
      clearUnclaimed(state)
    }, spareTtlMs)
    timer.unref?.()
    state.spares.push(timer)
    placeReserved(state).catch(() => {})
  }

  function reservePredicted(claim: Claim): Reservation {
    for (const [state, count] of claim) {
      // A send takes the spares its estimate announced: their answers are already placed.
      for (const timer of state.spares.splice(0, count)) clearTimeout(timer)
      state.reserved += count
    }
    let sent = false
    const readyGeneration = generation
    return {
      exclusive: false,
      async ready() {
        for (const [state, count] of claim) {
          while (state.inFlight + count > resultWindow) await landing(state)
        }
        const placed = await Promise.all([...claim.keys()].map(placeReserved))
        for (const [state, count] of claim) state.inFlight += count
        sent = true
        return placed.reduce((sum, count) => sum + count, 0)
      },
      async settle(outcome) {
        try {
          if (!sent) return
          const consumed = outcome.kind === 'mined' && outcome.success
          // Counted in every case: placements made from a read of the chain rely on it.
          if (consumed) for (const [state, count] of claim) state.settledConsumptions += count
          if (readyGeneration !== generation) return
          const byStandIn = new Map<string, number>()
          for (const [state, count] of claim) {
            byStandIn.set(state.standIn, (byStandIn.get(state.standIn) ?? 0) + count)
          }
          const exact =
            outcome.kind === 'rejected' ||
            (outcome.kind === 'mined' &&
              (!outcome.success ||
                [...byStandIn].every(
                  ([standIn, count]) =>
                    outcome.logAddresses.filter((address) => address === standIn).length === count,
                )))
          for (const [state, count] of claim) {
            if (!exact) state.known = false
            else if (consumed && state.known) noteConsumed(state, count)
          }
        } finally {
          if (sent) landed(claim)
          release(claim)
        }
      },
    }
  }

  function collect(frame: CallFrame, into: { to: string; input: Hex }[]): void {
    const to = frame.to?.toLowerCase()
    if (to && handlers.has(to) && frame.input) into.push({ to, input: frame.input })
    for (const child of frame.calls ?? []) collect(child, into)
  }

  /**
   * Traces the transaction and answers the calls found, again while answers make later calls
   * change (a call's input may be computed from an earlier result). Ends with the claim of the
   * last trace: the calls the transaction will make.
   */
  async function trace(transaction: TraceableTransaction, claim: Claim): Promise<number> {
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
      const calls: { to: string; input: Hex }[] = []
      collect(frame, calls)
      const next = claimOf(calls)
      // Swap the claim of the previous round for this one's.
      for (const [state, count] of next) state.reserved += count
      release(claim)
      claim.clear()
      for (const [state, count] of next) claim.set(state, count)
      const added = (await Promise.all([...claim.keys()].map(placeReserved))).reduce(
        (sum, count) => sum + count,
        0,
      )
      if (added === 0) return placed
      placed += added
    }
    throw new BaseError(
      `The transaction's inference calls did not settle after ${maxRounds} pre-execution rounds.`,
      { metaMessages: ['Each round fed real results back; later calls kept changing.'] },
    )
  }

  function reserveTraced(transaction: TraceableTransaction): Reservation {
    const claim: Claim = new Map()
    let sent = false
    return {
      exclusive: true,
      async ready() {
        const placed = await trace(transaction, claim)
        for (const [state, count] of claim) state.inFlight += count
        sent = true
        return placed
      },
      async settle() {
        try {
          if (!sent) return
          landed(claim)
          // What a traced transaction consumed is read from the chain: its calls are only known
          // from a simulation, and some log nothing. Nothing else is in flight meanwhile.
          for (const state of claim.keys()) state.known = false
          await Promise.all([...claim.keys()].map((state) => consumedBase(state).catch(() => {})))
        } finally {
          release(claim)
        }
      },
    }
  }

  return {
    prefetch(transaction) {
      for (const call of predict(transaction) ?? []) {
        const standIn = call.to.toLowerCase()
        const handler = handlers.get(standIn)
        if (!handler) continue
        const state = stateOf(standIn, call.input)
        if (handler.prefetch?.(call.input)) addSpare(state)
        else if (!state.known && state.inFlight === 0) consumedBase(state).catch(() => {})
      }
    },
    isPredicted(transaction) {
      return predict(transaction) !== undefined
    },
    reserve(transaction) {
      const predicted = predict(transaction)
      return predicted ? reservePredicted(claimOf(predicted)) : reserveTraced(transaction)
    },
    invalidate() {
      generation++
      consumedAnswers = []
      for (const state of requests.values()) {
        state.known = false
        // Code placed earlier may have been rolled back or replaced: never trust it as placed.
        state.placed.clear()
      }
    },
  }
}
