import { priceHistoryPrecompileAbi } from '@opengradient/contracts'
import {
  type CandleOrder,
  type CandleType,
  encodeFixedPoint,
  type Hex,
  type HistoricalInputQuery,
} from '@opengradient/core'
import { decodeFunctionData, encodeFunctionResult } from 'viem'
import type { OnnxEngine } from '../engine/onnx.js'
import type { PrecompileAnswer, PrecompileCall, PrecompileHandler } from '../front/preExecution.js'
import type { ResultStore } from '../front/results.js'
import { failureReason, keepResult, modelOutputRestJson } from '../precompiles/inference.js'
import type { PriceFeed } from './priceFeed.js'

/** The query tuple as viem decodes it from calldata. */
type AbiHistoricalInputQuery = {
  base: string
  quote: string
  total_candles: number
  candle_duration_in_mins: number
  order: number
  candle_types: readonly number[]
}

/** Parameters of {@link createPriceHistoryPrecompileHandler}. */
export type CreatePriceHistoryPrecompileHandlerParameters = {
  feed: PriceFeed
  /** The feed time (unix seconds) a call being prepared now is answered at. */
  feedTime(): Promise<number>
  /** Runs a model on a candle matrix; the devnet's ONNX engine. */
  runInferenceOnPriceFeed: OnnxEngine['runInferenceOnPriceFeed']
  /** Where executed inferences are recorded for the node REST API's result endpoint. */
  results: ResultStore
}

/**
 * The off-chain side of the price-history precompile at `0xF5`: `queryHistoricalCandles`
 * answers the flat, row-major candle values (prices encoded like model inputs), and
 * `runInferenceOnPriceFeed` builds the `[total_candles, candle_types.length]` tensor, runs the
 * model and records the result under the call's inference id. Failures become revert reasons.
 *
 * @example
 * ```ts
 * const handler = createPriceHistoryPrecompileHandler({
 *   feed: createPriceFeed(),
 *   feedTime: async () => Math.floor(Date.now() / 1000),
 *   runInferenceOnPriceFeed: engine.runInferenceOnPriceFeed,
 *   results,
 * })
 * ```
 */
export function createPriceHistoryPrecompileHandler(
  parameters: CreatePriceHistoryPrecompileHandlerParameters,
): PrecompileHandler {
  const { feed, results } = parameters
  return async (call: PrecompileCall): Promise<PrecompileAnswer> => {
    let decoded: ReturnType<typeof decodeFunctionData<typeof priceHistoryPrecompileAbi>>
    try {
      decoded = decodeFunctionData({ abi: priceHistoryPrecompileAbi, data: call.input })
    } catch {
      return { ok: false, reason: 'Unknown precompile function' }
    }
    try {
      const time = await parameters.feedTime()
      if (decoded.functionName === 'queryHistoricalCandles') {
        const query = toQuery(decoded.args[0] as AbiHistoricalInputQuery)
        const values = feed
          .matrix(query, time)
          .flat()
          .map((value) => encodeFixedPoint(value))
        const payload = encodeFunctionResult({
          abi: priceHistoryPrecompileAbi,
          functionName: 'queryHistoricalCandles',
          result: values,
        })
        return { ok: true, payload: payload as Hex }
      }
      const [modelId, inputName, abiQuery] = decoded.args
      const query = toQuery(abiQuery as AbiHistoricalInputQuery)
      const candles = feed.matrix(query, time).map((row) => row.map(Number))
      const output = await parameters.runInferenceOnPriceFeed({ modelId, inputName, candles })
      keepResult(results, {
        inferenceId: call.inferenceId,
        mode: 0,
        modelId,
        modelOutput: modelOutputRestJson(output),
        createdAt: Date.now(),
      })
      const payload = encodeFunctionResult({
        abi: priceHistoryPrecompileAbi,
        functionName: 'runInferenceOnPriceFeed',
        result: output as never,
      })
      return { ok: true, payload: payload as Hex }
    } catch (error) {
      return { ok: false, reason: failureReason(error) }
    }
  }
}

function toQuery(query: AbiHistoricalInputQuery): HistoricalInputQuery {
  return {
    base: query.base,
    quote: query.quote,
    totalCandles: Number(query.total_candles),
    candleDurationInMinutes: Number(query.candle_duration_in_mins),
    order: Number(query.order) as CandleOrder,
    candleTypes: query.candle_types.map((type) => Number(type) as CandleType),
  }
}
