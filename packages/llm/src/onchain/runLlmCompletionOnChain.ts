import {
  findEventLog,
  findPrecompileLogBefore,
  inferenceHubAbi,
  inferencePrecompileAbi,
} from '@opengradient/contracts'
import {
  type BaseErrorType,
  type ContractCallFailedErrorType,
  type Hash,
  type InvalidInputErrorType,
  type LlmId,
  type LlmInferenceMode,
  type LlmInferenceModeName,
  parseLlmInferenceMode,
  type TimeoutErrorType,
  TransactionFailedError,
  type TransactionFailedErrorType,
} from '@opengradient/core'
import { encodeFunctionData } from 'viem'
import { checkMaxTokens, checkStop } from '../utils/validate.js'
import type { OnChainLlmClient } from './createOnChainLlmClient.js'
import { type TemperatureRounding, temperatureToPercent } from './requests.js'
import { sendTransaction } from './sendTransaction.js'

export type RunLlmCompletionOnChainParameters = {
  /** The model id, e.g. `LLM.META_LLAMA_3_8B_INSTRUCT`; any string is accepted. */
  model: LlmId
  prompt: string
  /**
   * `VANILLA` (0) or `TEE` (1), as a number or a name. Whether a model supports TEE mode is for
   * the chain to decide.
   * @default 'VANILLA'
   */
  mode?: LlmInferenceMode | LlmInferenceModeName | number | undefined
  /** @default 100 */
  maxTokens?: number | undefined
  /** @default [] */
  stop?: readonly string[] | undefined
  /**
   * A decimal number or its text; the chain carries `temperature × 100` as an integer.
   * @default 0
   */
  temperature?: number | string | undefined
  /**
   * `round` computes `temperature × 100` exactly and rounds it (0.29 → 29); `truncate` gives
   * the reference's bytes (0.29 → 28).
   * @default 'round'
   */
  temperatureRounding?: TemperatureRounding | undefined
  /** Total send attempts while the node rejects the nonce. @default 5 */
  maxRetries?: number | undefined
  /** Gas limit; skips the estimate. */
  gas?: bigint | undefined
  signal?: AbortSignal | undefined
}

export type RunLlmCompletionOnChainReturnType = {
  /** `0x`-prefixed (the reference returned it without `0x`). */
  transactionHash: Hash
  /** The precompile event's inference id, when the receipt has it. */
  inferenceId: string | undefined
  /** The completion (`response.answer` of the hub's `LLMCompletionResult`). */
  text: string
}

export type RunLlmCompletionOnChainErrorType =
  | InvalidInputErrorType
  | ContractCallFailedErrorType
  | TransactionFailedErrorType
  | TimeoutErrorType
  | BaseErrorType

/**
 * Completes a prompt on chain: sends `runLLMCompletion` to the inference hub, waits for the
 * receipt and decodes the hub's `LLMCompletionResult` (found by address and topic).
 *
 * @example
 * ```ts
 * import { runLlmCompletionOnChain } from '@opengradient/llm/onchain'
 *
 * const { transactionHash, text } = await runLlmCompletionOnChain(client, {
 *   model: 'meta-llama/Meta-Llama-3-8B-Instruct',
 *   prompt: 'The river',
 *   maxTokens: 30,
 *   temperature: 0.29,
 * })
 * ```
 */
export async function runLlmCompletionOnChain(
  client: OnChainLlmClient,
  parameters: RunLlmCompletionOnChainParameters,
): Promise<RunLlmCompletionOnChainReturnType> {
  const request = {
    mode: parseLlmInferenceMode(parameters.mode ?? 0),
    modelCID: parameters.model,
    prompt: parameters.prompt,
    max_tokens: checkMaxTokens(parameters.maxTokens ?? 100),
    stop_sequence: checkStop(parameters.stop),
    temperature: temperatureToPercent(parameters.temperature ?? 0, parameters.temperatureRounding),
  }
  const { transactionHash, receipt } = await sendTransaction(client, {
    to: client.inferenceHubAddress,
    data: encodeFunctionData({
      abi: inferenceHubAbi,
      functionName: 'runLLMCompletion',
      args: [request],
    }),
    functionName: 'runLLMCompletion',
    gas: parameters.gas,
    maxRetries: parameters.maxRetries,
    signal: parameters.signal,
  })
  const result = findEventLog({
    logs: receipt.logs,
    abi: inferenceHubAbi,
    eventName: 'LLMCompletionResult',
    address: client.inferenceHubAddress,
  })
  if (!result) {
    throw new TransactionFailedError('LLM completion result event not found in transaction logs.', {
      transactionHash,
    })
  }
  const precompileLog = findPrecompileLogBefore({
    logs: receipt.logs,
    abi: inferencePrecompileAbi,
    eventName: 'LLMCompletionEvent',
    before: result.index,
    firstStringOnly: true,
  })
  const response = result.args.response as { answer: string }
  return {
    transactionHash,
    inferenceId: precompileLog?.args.inferenceID as string | undefined,
    text: response.answer,
  }
}
