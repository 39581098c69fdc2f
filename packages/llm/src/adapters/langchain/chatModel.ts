// A LangChain.js chat model over the OpenGradient LLM gateway.

import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager'
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models'
import {
  AIMessage,
  AIMessageChunk,
  type AIMessageFields,
  type BaseMessage,
  type InvalidToolCall,
  type ToolCall as LangChainToolCall,
  type ToolCallChunk,
  type UsageMetadata,
} from '@langchain/core/messages'
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs'
import { convertToOpenAITool } from '@langchain/core/utils/function_calling'
import type { TeeLlmId, TokenUsage, ToolCall } from '@opengradient/core'
import type { ChatParameters } from '../../actions/chat.js'
import {
  createLlmClient,
  type LlmClient,
  type LlmClientConfig,
} from '../../client/createLlmClient.js'
import type { ChatOutput, ChatTool, ToolChoice } from '../../types.js'
import type { SettlementModeInput } from '../../utils/settlementMode.js'
import { toWireModel } from '../../utils/wireModel.js'
import { toChatMessage, toToolChoice } from './messages.js'

/** Options of one call (`invoke(messages, options)`), over the model's own. */
export type ChatOpenGradientCallOptions = BaseChatModelCallOptions & {
  /** Tools of this call, in any form `bindTools` takes. */
  tools?: BindToolsInput[] | undefined
  /** `X-SETTLEMENT-TYPE` of this call. */
  settlementMode?: SettlementModeInput | undefined
}

export type ChatOpenGradientFields = BaseChatModelParams & {
  /** `<provider>/<model>`, e.g. `anthropic/claude-haiku-4-5`. */
  model: TeeLlmId
  /** The client every call goes through; shared by the instances `bindTools` makes. */
  client?: LlmClient | undefined
  /** Config of the client made when none is given. */
  clientConfig?: LlmClientConfig | undefined
  /** @default 300 */
  maxTokens?: number | undefined
  /** @default 0 */
  temperature?: number | undefined
  /** Sequences that end the reply. */
  stop?: string[] | undefined
  /** @default the client's `settlementMode` */
  settlementMode?: SettlementModeInput | undefined
  /** Lets the provider search the web (billed per search). @default false */
  webSearch?: boolean | undefined
  /** Bound tools, in the OpenAI function-tool shape. */
  tools?: ChatTool[] | undefined
  /** @default 'auto' (when tools are bound) */
  toolChoice?: ToolChoice | undefined
}

/**
 * A LangChain chat model answered by OpenGradient's TEE gateway. `invoke`, `stream` and
 * `batch` work as for any chat model; `bindTools` returns a new model with the tools bound and
 * leaves this one as it was. Replies carry the TEE signature and hashes and the settlement
 * metadata in `response_metadata`.
 *
 * @example
 * ```ts
 * import { ChatOpenGradient } from '@opengradient/llm/langchain'
 *
 * const model = new ChatOpenGradient({ model: 'devnet/tiny', clientConfig: { baseUrl: 'http://127.0.0.1:8545' } })
 * const reply = await model.invoke('Tell me about the river.')
 * console.log(reply.content, reply.response_metadata.tee)
 * ```
 */
export class ChatOpenGradient extends BaseChatModel<ChatOpenGradientCallOptions, AIMessageChunk> {
  static override lc_name() {
    return 'ChatOpenGradient'
  }

  readonly client: LlmClient
  readonly model: TeeLlmId
  readonly maxTokens: number
  readonly temperature: number | undefined
  readonly stop: string[] | undefined
  readonly settlementMode: SettlementModeInput | undefined
  readonly webSearch: boolean | undefined
  readonly tools: ChatTool[]
  readonly toolChoice: ToolChoice | undefined
  readonly #fields: ChatOpenGradientFields

  constructor(fields: ChatOpenGradientFields) {
    super(fields)
    toWireModel(fields.model)
    this.#fields = fields
    this.client = fields.client ?? createLlmClient(fields.clientConfig)
    this.model = fields.model
    this.maxTokens = fields.maxTokens ?? 300
    this.temperature = fields.temperature
    this.stop = fields.stop
    this.settlementMode = fields.settlementMode
    this.webSearch = fields.webSearch
    this.tools = fields.tools ?? []
    this.toolChoice = fields.toolChoice
  }

  _llmType(): string {
    return 'opengradient'
  }

  override _identifyingParams(): Record<string, unknown> {
    return { model_name: this.model }
  }

  /**
   * A new model with `tools` bound (LangChain tools, zod-schema tools or OpenAI tool objects);
   * this one is left unchanged.
   *
   * @example
   * ```ts
   * const withTools = model.bindTools([getWeather], { tool_choice: 'auto' })
   * const reply = await withTools.invoke('Weather in Paris?')
   * console.log(reply.tool_calls)
   * ```
   */
  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<ChatOpenGradientCallOptions>,
  ): ChatOpenGradient {
    return new ChatOpenGradient({
      ...this.#fields,
      client: this.client,
      tools: tools.map(toChatTool),
      toolChoice: toToolChoice(kwargs?.tool_choice) ?? this.toolChoice,
    })
  }

  #parameters(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
  ): ChatParameters<undefined> {
    const tools = options.tools ? options.tools.map(toChatTool) : this.tools
    return {
      model: this.model,
      messages: messages.map(toChatMessage),
      maxTokens: this.maxTokens,
      temperature: this.temperature,
      stop: options.stop ?? this.stop,
      tools,
      toolChoice: toToolChoice(options.tool_choice) ?? this.toolChoice,
      webSearch: this.webSearch,
      settlementMode: options.settlementMode ?? this.settlementMode,
      signal: options.signal,
    }
  }

  async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
  ): Promise<ChatResult> {
    const reply = await this.client.chat(this.#parameters(messages, options))
    const { tool_calls, invalid_tool_calls } = toLangChainToolCalls(reply.toolCalls)
    const message = new AIMessage({
      content: reply.message.content ?? '',
      tool_calls,
      invalid_tool_calls,
      response_metadata: responseMetadata(reply),
      ...usageField(reply.usage),
    })
    return {
      generations: [
        {
          text: reply.message.content ?? '',
          message,
          generationInfo: { finish_reason: reply.finishReason },
        },
      ],
      llmOutput: { tokenUsage: reply.usage, tee: reply.tee, settlement: reply.settlement },
    }
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const stream = await this.client.chat({ ...this.#parameters(messages, options), stream: true })
    for await (const chunk of stream) {
      const text = chunk.delta.content ?? ''
      const toolCallChunks: ToolCallChunk[] = (chunk.delta.toolCalls ?? []).map((delta) => ({
        type: 'tool_call_chunk',
        index: delta.index,
        ...(delta.id !== undefined ? { id: delta.id } : {}),
        ...(delta.function?.name !== undefined ? { name: delta.function.name } : {}),
        args: delta.function?.arguments ?? '',
      }))
      if (text === '' && toolCallChunks.length === 0 && !chunk.isFinal) continue
      const message = new AIMessageChunk({
        content: text,
        ...(toolCallChunks.length > 0 ? { tool_call_chunks: toolCallChunks } : {}),
        ...(chunk.isFinal
          ? {
              response_metadata: responseMetadata({
                finishReason: chunk.finishReason,
                tee: chunk.tee,
                settlement: chunk.settlement,
                raw: chunk.raw,
              }),
              ...usageField(chunk.usage),
            }
          : {}),
      })
      yield new ChatGenerationChunk({
        text,
        message,
        ...(chunk.isFinal ? { generationInfo: { finish_reason: chunk.finishReason } } : {}),
      })
      if (text !== '') await runManager?.handleLLMNewToken(text)
    }
  }
}

function toChatTool(tool: BindToolsInput): ChatTool {
  return convertToOpenAITool(tool) as ChatTool
}

function toLangChainToolCalls(calls: readonly ToolCall[]): {
  tool_calls: LangChainToolCall[]
  invalid_tool_calls: InvalidToolCall[]
} {
  const tool_calls: LangChainToolCall[] = []
  const invalid_tool_calls: InvalidToolCall[] = []
  for (const call of calls) {
    try {
      const args: unknown = JSON.parse(call.function.arguments || '{}')
      tool_calls.push({
        type: 'tool_call',
        id: call.id,
        name: call.function.name,
        args: (args ?? {}) as Record<string, unknown>,
      })
    } catch (error) {
      invalid_tool_calls.push({
        type: 'invalid_tool_call',
        id: call.id,
        name: call.function.name,
        args: call.function.arguments,
        error: error instanceof Error ? error.message : String(error),
      })
    }
  }
  return { tool_calls, invalid_tool_calls }
}

function responseMetadata(
  reply: Pick<ChatOutput, 'finishReason' | 'raw'> & {
    tee: ChatOutput['tee'] | undefined
    settlement: ChatOutput['settlement'] | undefined
  },
): { model_provider: string; model_name?: string; [key: string]: unknown } {
  const raw = reply.raw as { model?: unknown } | undefined
  return {
    model_provider: 'opengradient',
    ...(typeof raw?.model === 'string' ? { model_name: raw.model } : {}),
    finish_reason: reply.finishReason,
    tee: reply.tee,
    settlement: reply.settlement,
  }
}

function usageField(usage: TokenUsage | undefined): Pick<AIMessageFields, 'usage_metadata'> {
  if (!usage) return {}
  const usage_metadata: UsageMetadata = {
    input_tokens: usage.promptTokens,
    output_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
  }
  // The field's declared type resolves to `never` under `exactOptionalPropertyTypes`.
  return { usage_metadata } as Pick<AIMessageFields, 'usage_metadata'>
}
