// Runs ONNX models the way the inference node does (onchain-inference.md §7 and §9).
import {
  type AbiModelInput,
  type AbiModelOutput,
  type AbiNumberTensor,
  type AbiStringTensor,
  encodeFixedPoint,
  encodeFixedPointOutput,
  type FixedPointNumber,
} from '@opengradient/core'
import type { InferenceSession, Tensor } from 'onnxruntime-node'
import { loadOnnxRuntime, type OnnxRuntime, onnxTypeName } from '../models/onnxSignature.js'
import type { ModelStore } from '../models/store.js'
import { InferenceFailedError } from './errors.js'
import { fixedPointToFloat, float16BitsToNumber, truncateFixedPoint } from './numbers.js'
import { fitShape } from './shapes.js'

/** Parameters of {@link OnnxEngine.runModelInference}. */
export type RunModelInferenceParameters = {
  /** 0 VANILLA, 1 ZKML, 2 TEE; all three run the same computation. */
  mode: number
  /** The model's id in the store: its CID or an alias. */
  modelId: string
  /** The request's tensors, as the chain carries them. */
  input: AbiModelInput
}

/** Parameters of {@link OnnxEngine.runInferenceOnPriceFeed}. */
export type RunInferenceOnPriceFeedParameters = {
  modelId: string
  /** Name of the model input that receives the candles. */
  inputName: string
  /** One row per candle, one column per requested candle field, in row order. */
  candles: readonly (readonly number[])[]
  /**
   * Inference mode.
   * @default 0 (VANILLA)
   */
  mode?: number | undefined
}

/** How often sessions were loaded and how many are open. */
export type SessionStats = {
  /** Sessions created since the engine started (cache misses). */
  loaded: number
  /** Sessions currently cached. */
  cached: number
}

/** Runs ONNX models of a {@link ModelStore}. */
export type OnnxEngine = {
  /**
   * Runs one model request: inputs converted and outputs encoded exactly like the inference
   * node. Every failure is an {@link InferenceFailedError}.
   */
  runModelInference(parameters: RunModelInferenceParameters): Promise<AbiModelOutput>
  /** Runs a model on a candle matrix, as the price-history precompile does. */
  runInferenceOnPriceFeed(parameters: RunInferenceOnPriceFeedParameters): Promise<AbiModelOutput>
  /** Cache counters, for monitoring. */
  sessionStats(): SessionStats
  /** Releases every cached session. The engine stays usable and reloads on demand. */
  close(): Promise<void>
}

/** Parameters of {@link createOnnxEngine}. */
export type CreateOnnxEngineParameters = {
  /** Where models are looked up by id. */
  store: ModelStore
  /**
   * Sessions kept open, least recently used evicted first.
   * @default 8
   */
  maxCachedSessions?: number | undefined
  /**
   * Threads per session. One keeps results bit-for-bit reproducible across runs and machines.
   * @default 1
   */
  threadsPerSession?: number | undefined
}

type CachedSession = {
  session: Promise<InferenceSession>
  /** Runs using the session right now; an evicted session is released when this reaches 0. */
  users: number
  evicted: boolean
}

/** A request the node would refuse; turned into an {@link InferenceFailedError} at the boundary. */
class Rejection extends Error {
  readonly reason: string
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(reason, options.cause === undefined ? undefined : { cause: options.cause })
    this.reason = reason
  }
}

const inferenceModes = new Set([0, 1, 2])
const maxDecimals = 18n

const int128Min = -(2n ** 127n)
const int128Max = 2n ** 127n - 1n

/** Element types the node converts fixed-point inputs to, with their ranges for integers. */
const integerRanges: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  uint8: [0n, 2n ** 8n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
}

/**
 * Creates the devnet's ONNX engine: the local stand-in for the inference node behind the
 * precompiles `0xF4` (`runModelInference`) and `0xF5` (`runInferenceOnPriceFeed`).
 *
 * Sessions are cached per CID (an alias shares its model's session), least recently used
 * evicted first. onnxruntime-node is loaded on the first inference.
 *
 * @example
 * ```ts
 * const store = createModelStore({ dir: '/tmp/devnet/models' })
 * await installBuiltinModels(store)
 * const engine = createOnnxEngine({ store })
 * const output = await engine.runModelInference({
 *   mode: 0,
 *   modelId: 'Qm…',
 *   input: {
 *     numbers: [{ name: 'x', values: [{ value: 5n, decimals: 1n }], shape: [1] }],
 *     strings: [],
 *   },
 * })
 * output.numbers[0]?.values // [{ value: …, decimals: … }]
 * ```
 */
export function createOnnxEngine(parameters: CreateOnnxEngineParameters): OnnxEngine {
  const { store } = parameters
  const maxCachedSessions = Math.max(1, parameters.maxCachedSessions ?? 8)
  const threadsPerSession = parameters.threadsPerSession ?? 1
  // Keyed by CID; Map order is recency order: a hit moves the entry to the end.
  const sessions = new Map<string, CachedSession>()
  const resolvedIds = new Map<string, string>()
  let loaded = 0

  function releaseWhenIdle(entry: CachedSession): Promise<void> {
    if (!entry.evicted || entry.users > 0) return Promise.resolve()
    return entry.session.then(
      (session) => session.release(),
      () => undefined,
    )
  }

  /** The CID behind a model id (an alias resolves to its model), or `undefined`. */
  async function resolveCid(modelId: string): Promise<string | undefined> {
    const known = resolvedIds.get(modelId)
    if (known !== undefined && sessions.has(known)) return known
    const model = await store.stat(modelId).catch((error: unknown) => {
      if ((error as { name?: unknown }).name === 'NotFoundError') return undefined
      throw error
    })
    if (model) resolvedIds.set(modelId, model.cid)
    return model?.cid
  }

  async function acquire(modelId: string): Promise<CachedSession> {
    const cid = await resolveCid(modelId)
    if (cid === undefined) {
      throw new InferenceFailedError(`Model not found: ${modelId}`, { modelId })
    }
    let entry = sessions.get(cid)
    if (entry) {
      sessions.delete(cid)
      sessions.set(cid, entry)
    } else {
      entry = { session: openSession(modelId, cid), users: 0, evicted: false }
      loaded++
      sessions.set(cid, entry)
      const created = entry
      created.session.catch(() => {
        if (sessions.get(cid) === created) sessions.delete(cid)
      })
      while (sessions.size > maxCachedSessions) {
        const [oldestCid, oldest] = sessions.entries().next().value as [string, CachedSession]
        sessions.delete(oldestCid)
        oldest.evicted = true
        void releaseWhenIdle(oldest)
      }
    }
    entry.users++
    return entry
  }

  async function openSession(modelId: string, cid: string): Promise<InferenceSession> {
    const ort = await loadOnnxRuntime()
    const file = await store.path(cid)
    try {
      return await ort.InferenceSession.create(file, {
        executionProviders: ['cpu'],
        intraOpNumThreads: threadsPerSession,
        interOpNumThreads: 1,
      })
    } catch (error) {
      throw new InferenceFailedError(`Model could not be loaded: ${modelId}`, {
        modelId,
        cause: error,
      })
    }
  }

  async function runModelInference(request: RunModelInferenceParameters): Promise<AbiModelOutput> {
    const { mode, modelId, input } = request
    try {
      if (!inferenceModes.has(mode)) {
        throw new InferenceFailedError(`Unsupported inference mode: ${mode}`, { modelId })
      }
      const ort = await loadOnnxRuntime()
      const entry = await acquire(modelId)
      try {
        const session = await entry.session
        const feeds = buildFeeds(ort, session, input)
        let results: InferenceSession.ReturnType
        try {
          results = await session.run(feeds)
        } catch (error) {
          throw new InferenceFailedError(`ONNX runtime error: ${firstLine(error)}`, {
            modelId,
            cause: error,
          })
        }
        return encodeOutputs(session, results)
      } finally {
        entry.users--
        void releaseWhenIdle(entry)
      }
    } catch (error) {
      if (error instanceof InferenceFailedError) throw error
      if (error instanceof Rejection) {
        throw new InferenceFailedError(error.reason, { modelId, cause: error.cause })
      }
      throw new InferenceFailedError(`Inference error: ${firstLine(error)}`, {
        modelId,
        cause: error,
      })
    }
  }

  async function runInferenceOnPriceFeed(
    request: RunInferenceOnPriceFeedParameters,
  ): Promise<AbiModelOutput> {
    const { modelId, inputName, candles } = request
    const columns = candles[0]?.length ?? 0
    const values: FixedPointNumber[] = []
    for (const [rowIndex, row] of candles.entries()) {
      if (row.length !== columns) {
        throw new InferenceFailedError(
          `Candle row ${rowIndex} has ${row.length} values, expected ${columns}`,
          { modelId },
        )
      }
      for (const price of row) {
        try {
          values.push(encodeFixedPoint(price))
        } catch (error) {
          throw new InferenceFailedError(`Invalid candle value: ${price}`, {
            modelId,
            cause: error,
          })
        }
      }
    }
    return runModelInference({
      mode: request.mode ?? 0,
      modelId,
      input: {
        numbers: [{ name: inputName, values, shape: [candles.length, columns] }],
        strings: [],
      },
    })
  }

  return {
    runModelInference,
    runInferenceOnPriceFeed,
    sessionStats: () => ({ loaded, cached: sessions.size }),
    async close() {
      const entries = [...sessions.values()]
      sessions.clear()
      resolvedIds.clear()
      for (const entry of entries) entry.evicted = true
      await Promise.allSettled(entries.map(releaseWhenIdle))
    },
  }
}

/** The feeds of one run: each declared input, converted from the request (§9). */
function buildFeeds(
  ort: OnnxRuntime,
  session: InferenceSession,
  input: AbiModelInput,
): Record<string, Tensor> {
  // Later tensors of the same name win, as in the node's name-keyed dictionaries.
  const numbers = new Map<string, AbiNumberTensor>(
    input.numbers.map((tensor) => [tensor.name, tensor]),
  )
  const strings = new Map<string, AbiStringTensor>(
    input.strings.map((tensor) => [tensor.name, tensor]),
  )
  const feeds: Record<string, Tensor> = {}
  for (const declared of session.inputMetadata) {
    const numberTensor = numbers.get(declared.name)
    const stringTensor = strings.get(declared.name)
    if (numberTensor) {
      feeds[declared.name] = numberFeed(ort, declared, numberTensor)
    } else if (stringTensor) {
      feeds[declared.name] = stringFeed(ort, declared, stringTensor)
    } else {
      throw new Rejection(`Input not found: ${declared.name}`)
    }
  }
  return feeds
}

function numberFeed(
  ort: OnnxRuntime,
  declared: InferenceSession.ValueMetadata,
  tensor: AbiNumberTensor,
): Tensor {
  if (!declared.isTensor) throw new Rejection('Unsupported input type: non-tensor')
  const type = declared.type
  for (const { decimals } of tensor.values) {
    if (decimals > maxDecimals) {
      throw new Rejection(`Decimal value greater than precision limit: ${decimals}`)
    }
    if (decimals < 0n) throw new Rejection(`Negative decimals: ${decimals}`)
  }
  const shape = feedShape(declared, tensor.shape, tensor.values.length)
  if (type === 'float32' || type === 'float64') {
    const format = type
    const data = tensor.values.map(({ value, decimals }) => {
      const converted = fixedPointToFloat(value, decimals, format)
      if (!Number.isFinite(converted)) {
        throw new Rejection(
          `Value out of range for ${onnxTypeName(type)} in input ${declared.name}`,
        )
      }
      return converted
    })
    return new ort.Tensor(
      type,
      type === 'float32' ? Float32Array.from(data) : Float64Array.from(data),
      shape,
    )
  }
  const range = integerRanges[type]
  if (!range) throw new Rejection(`Unsupported input type: ${onnxTypeName(type)}`)
  const integers = tensor.values.map(({ value, decimals }) => {
    const integer = truncateFixedPoint(value, decimals)
    if (integer < range[0] || integer > range[1]) {
      throw new Rejection(
        `Value out of range for ${onnxTypeName(type)} in input ${declared.name}: ${integer}`,
      )
    }
    return integer
  })
  switch (type) {
    case 'int64':
      return new ort.Tensor(type, BigInt64Array.from(integers), shape)
    case 'uint64':
      return new ort.Tensor(type, BigUint64Array.from(integers), shape)
    case 'int8':
      return new ort.Tensor(type, Int8Array.from(integers, Number), shape)
    case 'uint8':
      return new ort.Tensor(type, Uint8Array.from(integers, Number), shape)
    case 'int16':
      return new ort.Tensor(type, Int16Array.from(integers, Number), shape)
    case 'uint16':
      return new ort.Tensor(type, Uint16Array.from(integers, Number), shape)
    case 'int32':
      return new ort.Tensor(type, Int32Array.from(integers, Number), shape)
    default:
      return new ort.Tensor('uint32', Uint32Array.from(integers, Number), shape)
  }
}

function stringFeed(
  ort: OnnxRuntime,
  declared: InferenceSession.ValueMetadata,
  tensor: AbiStringTensor,
): Tensor {
  if (!declared.isTensor || declared.type !== 'string') {
    const type = declared.isTensor ? onnxTypeName(declared.type) : 'non-tensor'
    throw new Rejection(`Input ${declared.name} expects ${type}, got strings`)
  }
  // The chain keeps no shape for strings: the node can only use the length.
  const shape = feedShape(declared, [tensor.values.length], tensor.values.length)
  return new ort.Tensor('string', [...tensor.values], shape)
}

function feedShape(
  declared: InferenceSession.ValueMetadata,
  given: readonly number[],
  count: number,
): number[] {
  const fitted = fitShape(given, count, declared.isTensor ? declared.shape : [])
  if ('error' in fitted) {
    throw new Rejection(`Shape mismatch for input ${declared.name}: ${fitted.error}`)
  }
  return fitted.shape
}

/** Every session output, in session order, encoded as the node does (§7). */
function encodeOutputs(
  session: InferenceSession,
  results: InferenceSession.ReturnType,
): AbiModelOutput {
  const numbers: AbiNumberTensor[] = []
  const strings: AbiStringTensor[] = []
  for (const declared of session.outputMetadata) {
    const result = results[declared.name]
    if (!declared.isTensor || !result || !('dims' in result)) {
      throw new Rejection(`Unsupported output type: ${declared.name} is not a tensor`)
    }
    const tensor = result as Tensor
    if (tensor.type === 'string') {
      strings.push({ name: declared.name, values: [...(tensor.data as string[])] })
      continue
    }
    const elements = numericElements(tensor)
    if (!elements) {
      throw new Rejection(
        `Unsupported output type: ${onnxTypeName(tensor.type)} (${declared.name})`,
      )
    }
    numbers.push({
      name: declared.name,
      values: elements.map((element, index) => encodeOutputElement(declared.name, element, index)),
      shape: [...tensor.dims],
    })
  }
  return { numbers, strings, jsons: [], is_simulation_result: false }
}

/** Output elements as exact JS values: float32 widened, 64-bit integers as bigint. */
function numericElements(tensor: Tensor): (number | bigint)[] | undefined {
  switch (tensor.type) {
    case 'float32':
    case 'float64':
    case 'int8':
    case 'uint8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
      return Array.from(tensor.data as ArrayLike<number>)
    case 'int64':
    case 'uint64':
      return Array.from(tensor.data as BigInt64Array | BigUint64Array)
    case 'float16':
      return Array.from(tensor.data as Uint16Array, float16BitsToNumber)
    default:
      return undefined
  }
}

function encodeOutputElement(name: string, element: number | bigint, index: number) {
  if (typeof element === 'number' && !Number.isFinite(element)) {
    throw new Rejection(`Output ${name} has a non-finite value at index ${index}`)
  }
  let encoded: FixedPointNumber
  try {
    encoded = encodeFixedPointOutput(element)
  } catch (error) {
    throw new Rejection(`Output ${name} cannot be encoded at index ${index}`, {
      cause: error,
    })
  }
  if (encoded.value < int128Min || encoded.value > int128Max) {
    throw new Rejection(`Output ${name} does not fit int128 at index ${index}`)
  }
  return encoded
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0] ?? message
}

export { InferenceFailedError, type InferenceFailedErrorType } from './errors.js'
