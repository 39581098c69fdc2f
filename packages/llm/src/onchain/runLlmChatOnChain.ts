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
  type ToolCall,
  TransactionFailedError,
  type TransactionFailedErrorType,
} from '@opengradient/core'
import { encodeFunctionData } from 'viem'
import type { ChatMessage, ChatTool } from '../types.js'
import { checkMaxTokens, checkStop } from '../utils/validate.js'
import type { OnChainLlmClient } from './createOnChainLlmClient.js'
import {
  type AbiChatMessage,
  type OnChainToolCall,
  onChainToolChoice,
  type TemperatureRounding,
  temperatureToPercent,
  toAbiMessages,
  toAbiTools,
} from './requests.js'
import { sendTransaction } from './sendTransaction.js'

export type RunLlmChatOnChainParameters = {
  /** The model id; any string is accepted. */
  model: LlmId
  /**
   * OpenAI-style messages with text content. Each is copied into the ABI's five fields; nested
   * tool calls are flattened. The objects passed in are not changed.
   */
  messages: readonly ChatMessage[]
  /** `VANILLA` (0) or `TEE` (1). @default 'VANILLA' */
  mode?: LlmInferenceMode | LlmInferenceModeName | number | undefined
  /** @default 100 */
  maxTokens?: number | undefined
  /** @default [] */
  stop?: readonly string[] | undefined
  /** A decimal number or its text; carried as `temperature × 100`. @default 0 */
  temperature?: number | string | undefined
  /** @default 'round' */
  temperatureRounding?: TemperatureRounding | undefined
  /**
   * OpenAI function tools. A missing description is sent as `""`, missing parameters as `"{}"`.
   */
  tools?: readonly ChatTool[] | undefined
  /**
   * @default `""` without tools, `"auto"` with tools (even an empty list)
   */
  toolChoice?: string | undefined
  /** Total send attempts while the node rejects the nonce. @default 5 */
  maxRetries?: number | undefined
  /** Gas limit; skips the estimate. */
  gas?: bigint | undefined
  signal?: AbortSignal | undefined
}

/** The assistant message of an on-chain chat: the ABI fields, empty strings where unset. */
export type OnChainChatMessage = {
  role: string
  content: string
  name: string
  toolCallId: string
  /** Flat, as the chain carries them. */
  toolCalls: OnChainToolCall[]
}

export type RunLlmChatOnChainReturnType = {
  transactionHash: Hash
  inferenceId: string | undefined
  /** A free string: `stop`, `tool_calls`, `error`… */
  finishReason: string
  message: OnChainChatMessage
  /** The tool calls in the OpenAI nested shape, as gateway replies carry them. */
  toolCalls: ToolCall[]
}

export type RunLlmChatOnChainErrorType =
  | InvalidInputErrorType
  | ContractCallFailedErrorType
  | TransactionFailedErrorType
  | TimeoutErrorType
  | BaseErrorType

/**
 * Chats on chain: sends `runLLMChat` to the inference hub, waits for the receipt and decodes the
 * hub's `LLMChatResult` (found by address and topic).
 *
 * @example
 * ```ts
 * import { runLlmChatOnChain } from '@opengradient/llm/onchain'
 *
 * const { finishReason, message, toolCalls } = await runLlmChatOnChain(client, {
 *   model: 'meta-llama/Llama-3.1-70B-Instruct',
 *   messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
 *   tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
 * })
 * ```
 */
export async function runLlmChatOnChain(
  client: OnChainLlmClient,
  parameters: RunLlmChatOnChainParameters,
): Promise<RunLlmChatOnChainReturnType> {
  const request = {
    mode: parseLlmInferenceMode(parameters.mode ?? 0),
    modelCID: parameters.model,
    messages: toAbiMessages(parameters.messages),
    tools: toAbiTools(parameters.tools ?? []),
    tool_choice: onChainToolChoice(parameters.toolChoice, parameters.tools),
    max_tokens: checkMaxTokens(parameters.maxTokens ?? 100),
    stop_sequence: checkStop(parameters.stop),
    temperature: temperatureToPercent(parameters.temperature ?? 0, parameters.temperatureRounding),
  }
  const { transactionHash, receipt } = await sendTransaction(client, {
    to: client.inferenceHubAddress,
    data: encodeFunctionData({ abi: inferenceHubAbi, functionName: 'runLLMChat', args: [request] }),
    functionName: 'runLLMChat',
    gas: parameters.gas,
    maxRetries: parameters.maxRetries,
    signal: parameters.signal,
  })
  const result = findEventLog({
    logs: receipt.logs,
    abi: inferenceHubAbi,
    eventName: 'LLMChatResult',
    address: client.inferenceHubAddress,
  })
  if (!result) {
    throw new TransactionFailedError('LLM chat result event not found in transaction logs.', {
      transactionHash,
    })
  }
  const precompileLog = findPrecompileLogBefore({
    logs: receipt.logs,
    abi: inferencePrecompileAbi,
    eventName: 'LLMChat',
    before: result.index,
    firstStringOnly: true,
  })
  const response = result.args.response as { finish_reason: string; message: AbiChatMessage }
  const toolCalls = response.message.tool_calls.map((call) => ({
    id: call.id,
    name: call.name,
    arguments: call.arguments,
  }))
  return {
    transactionHash,
    inferenceId: precompileLog?.args.inferenceID as string | undefined,
    finishReason: response.finish_reason,
    message: {
      role: response.message.role,
      content: response.message.content,
      name: response.message.name,
      toolCallId: response.message.tool_call_id,
      toolCalls,
    },
    toolCalls: toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    })),
  }
}
