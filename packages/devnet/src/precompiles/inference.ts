import { inferencePrecompileAbi } from '@opengradient/contracts'
import { type AbiModelInput, type AbiModelOutput, BaseError, type Hex } from '@opengradient/core'
import {
  type AbiFunction,
  decodeAbiParameters,
  encodeFunctionResult,
  toFunctionSelector,
  type Hex as ViemHex,
} from 'viem'
import type { PrecompileAnswer, PrecompileCall, PrecompileHandler } from '../front/preExecution.js'
import type { InferenceRecord, ResultStore } from '../front/results.js'

/** Runs one ONNX model request; implemented by the devnet's ONNX engine. */
export type ModelRunner = (request: {
  mode: number
  modelId: string
  input: AbiModelInput
}) => Promise<AbiModelOutput>

/** Answers on-chain LLM requests; absent until an LLM backend is configured. */
export type LlmRunner = {
  completion(request: unknown): Promise<{ answer: string }>
  chat(request: unknown): Promise<unknown>
}

type ModelRequest = { mode: number; modelCID: string; input: AbiModelInput }

/**
 * How long a model run answers later calls with the same request, and how many are kept. Kept
 * short: the reuse relies on the output being a function of the request and the stored model.
 */
const prefetchMaxAgeMs = 2_000
const maxPrefetched = 64

type PrecompileFunctionName = 'runModelInference' | 'runLLMCompletion' | 'runLLMChat'

// Selectors hashed once: every inference request is decoded here, and viem's decodeFunctionData
// hashes the signatures of the ABI's functions on each call.
const precompileFunctions = new Map(
  inferencePrecompileAbi
    .filter((item): item is typeof item & AbiFunction => item.type === 'function')
    .map((item) => [toFunctionSelector(item as AbiFunction), item as AbiFunction]),
)

function decodePrecompileCall(
  input: ViemHex,
): { functionName: PrecompileFunctionName; args: readonly unknown[] } | undefined {
  const item = precompileFunctions.get(input.slice(0, 10).toLowerCase() as ViemHex)
  if (!item) return undefined
  try {
    return {
      functionName: item.name as PrecompileFunctionName,
      args: decodeAbiParameters(item.inputs, `0x${input.slice(10)}`),
    }
  } catch {
    return undefined
  }
}

/**
 * Converts a model output to the JSON of the node REST API's `model_output`: values as decimal
 * strings (28-digit values do not fit a JS number), decimals and shapes as numbers.
 *
 * @example
 * ```ts
 * modelOutputRestJson(output).numbers[0].values[0] // { value: '11', decimals: 0 }
 * ```
 */
export function modelOutputRestJson(output: AbiModelOutput) {
  return {
    numbers: output.numbers.map((tensor) => ({
      name: tensor.name,
      values: tensor.values.map((number) => ({
        value: number.value.toString(),
        decimals: Number(number.decimals),
      })),
      shape: tensor.shape.map(Number),
    })),
    strings: output.strings.map((tensor) => ({ name: tensor.name, values: [...tensor.values] })),
    jsons: output.jsons.map((scalar) => ({ name: scalar.name, value: scalar.value })),
  }
}

/**
 * Records a result for the REST endpoint without waiting for the disk: the endpoint serves it
 * from memory at once, and the append must not hold up the transaction that carries it. A
 * failed append is reported, since the result would be missing after a restart.
 *
 * @example
 * ```ts
 * keepResult(results, { inferenceId, mode: 0, modelId, modelOutput, createdAt: Date.now() })
 * ```
 */
export function keepResult(results: ResultStore, record: InferenceRecord): void {
  results.put(record).catch((error: unknown) => {
    console.warn(
      `The devnet could not save the result of inference ${record.inferenceId}: ${(error as Error).message}`,
    )
  })
}

/** Extracts a revert reason from an engine failure: its `reason` field or its short message. */
export function failureReason(error: unknown): string {
  if (error && typeof error === 'object' && 'reason' in error && typeof error.reason === 'string') {
    return error.reason
  }
  if (error instanceof BaseError) return error.shortMessage
  return error instanceof Error ? error.message : String(error)
}

/**
 * The off-chain side of the inference precompile at `0xF4`: decodes each call, runs the model
 * (or the LLM backend), records the result for the REST endpoint and returns the ABI-encoded
 * answer the stand-in will emit and return.
 *
 * @example
 * ```ts
 * const handler = createInferencePrecompileHandler({ runModel: engine.runModelInference, results })
 * ```
 */
export function createInferencePrecompileHandler(parameters: {
  runModel: ModelRunner
  results: ResultStore
  llm?: LlmRunner | undefined
}): PrecompileHandler {
  const { runModel, results, llm } = parameters
  // Recent model runs by request (started by `prefetch` or a call), for the calls that follow.
  const prefetched = new Map<string, { startedAt: number; run: Promise<ModelAnswer> }>()

  type ModelAnswer = {
    payload: Hex
    mode: number
    modelId: string
    /** The output as the REST endpoint serves it, shared by every record of this answer. */
    restOutput: ReturnType<typeof modelOutputRestJson>
  }
  async function runAndEncode(request: ModelRequest): Promise<ModelAnswer> {
    const mode = Number(request.mode)
    const modelId = request.modelCID
    const output = await runModel({ mode, modelId, input: request.input })
    const payload = encodeFunctionResult({
      abi: inferencePrecompileAbi,
      functionName: 'runModelInference',
      result: output as never,
    }) as Hex
    return { payload, mode, modelId, restOutput: modelOutputRestJson(output) }
  }

  async function answerModel(
    call: PrecompileCall,
    run: Promise<ModelAnswer>,
  ): Promise<PrecompileAnswer> {
    try {
      const { payload, mode, modelId, restOutput } = await run
      keepResult(results, {
        inferenceId: call.inferenceId,
        mode,
        modelId,
        modelOutput: restOutput,
        createdAt: Date.now(),
      })
      return { ok: true, payload }
    } catch (error) {
      return { ok: false, reason: failureReason(error) }
    }
  }

  /**
   * A recent run of the same request. It stays for the calls that follow (a burst of the same
   * inference runs the model once: the output is a function of the request), but only for a
   * while, since a model stored under the same id since then would answer differently.
   */
  function takePrefetched(input: Hex): Promise<ModelAnswer> | undefined {
    const entry = prefetched.get(input)
    if (!entry) return undefined
    if (Date.now() - entry.startedAt <= prefetchMaxAgeMs) return entry.run
    prefetched.delete(input)
    return undefined
  }

  /** Runs a model request and keeps the run for the calls with the same input that follow. */
  function startRun(input: Hex, request: ModelRequest): Promise<ModelAnswer> {
    const run = runAndEncode(request)
    // A failure is not kept: its cause (a missing model) may be gone by the next call.
    run.catch(() => {
      if (prefetched.get(input)?.run === run) prefetched.delete(input)
    })
    prefetched.set(input, { startedAt: Date.now(), run })
    if (prefetched.size > maxPrefetched) prefetched.delete(prefetched.keys().next().value as string)
    return run
  }

  const handler: PrecompileHandler = async (call: PrecompileCall): Promise<PrecompileAnswer> => {
    // A prefetched run was decoded when it started.
    const prefetchedRun = takePrefetched(call.input)
    if (prefetchedRun) return await answerModel(call, prefetchedRun)
    const decoded = decodePrecompileCall(call.input)
    if (!decoded) return { ok: false, reason: 'Unknown precompile function' }
    if (decoded.functionName === 'runModelInference') {
      return await answerModel(call, startRun(call.input, decoded.args[0] as ModelRequest))
    }
    try {
      if (!llm) return { ok: false, reason: 'No LLM backend is configured on this devnet' }
      if (decoded.functionName === 'runLLMCompletion') {
        const response = await llm.completion(decoded.args[0])
        return {
          ok: true,
          payload: encodeFunctionResult({
            abi: inferencePrecompileAbi,
            functionName: 'runLLMCompletion',
            result: response as never,
          }),
        }
      }
      const response = await llm.chat(decoded.args[0])
      return {
        ok: true,
        payload: encodeFunctionResult({
          abi: inferencePrecompileAbi,
          functionName: 'runLLMChat',
          result: response as never,
        }),
      }
    } catch (error) {
      return { ok: false, reason: failureReason(error) }
    }
  }
  handler.prefetch = (input) => {
    if (prefetched.has(input)) return true
    const decoded = decodePrecompileCall(input)
    // LLM answers are samples, not functions of the request: never ahead of the call.
    if (decoded?.functionName !== 'runModelInference') return false
    startRun(input, decoded.args[0] as ModelRequest)
    return true
  }
  return handler
}
