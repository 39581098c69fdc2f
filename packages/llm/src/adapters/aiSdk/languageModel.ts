// An AI SDK language model (specification v3) over one OpenGradient LLM client.
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  SharedV3Headers,
} from '@ai-sdk/provider'
import type { ChatParameters } from '../../actions/chat.js'
import type { LlmClient } from '../../client/createLlmClient.js'
import type { SettlementModeInput } from '../../utils/settlementMode.js'
import { toWireModel } from '../../utils/wireModel.js'
import {
  toChatMessages,
  toChatOptions,
  toFinishReason,
  toProviderMetadata,
  toUsage,
} from './messages.js'

/** `providerOptions.opengradient` of a call. */
export type OpenGradientProviderOptions = {
  /** `X-SETTLEMENT-TYPE` of this call. @default the client's `settlementMode` */
  settlementMode?: SettlementModeInput | undefined
  /** Lets the provider search the web (billed per search). @default false */
  webSearch?: boolean | undefined
}

/**
 * A `LanguageModelV3` for one model id, sending every call through `client`.
 *
 * @example
 * ```ts
 * import { generateText } from 'ai'
 *
 * const model = createOpenGradientLanguageModel(createLlmClient(), 'devnet/tiny')
 * const { text } = await generateText({ model, prompt: 'Tell me about the river.' })
 * ```
 */
export function createOpenGradientLanguageModel(
  client: LlmClient,
  modelId: string,
): LanguageModelV3 {
  // Validates the id once, when the model is made, rather than on the first call.
  toWireModel(modelId)

  function chatParameters(options: LanguageModelV3CallOptions) {
    const { tools, toolChoice, responseFormat, warnings } = toChatOptions(options)
    const providerOptions = (options.providerOptions?.opengradient ??
      {}) as OpenGradientProviderOptions
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value !== undefined) headers[name] = value
    }
    const parameters: ChatParameters<undefined> = {
      model: modelId,
      messages: toChatMessages(options.prompt),
      maxTokens: options.maxOutputTokens,
      temperature: options.temperature,
      stop: options.stopSequences,
      tools,
      toolChoice,
      responseFormat,
      webSearch: providerOptions.webSearch,
      settlementMode: providerOptions.settlementMode,
      headers,
      signal: options.abortSignal,
    }
    return { parameters, warnings }
  }

  return {
    specificationVersion: 'v3',
    provider: 'opengradient',
    modelId,
    supportedUrls: { 'image/*': [/^https?:\/\/.*$/] },

    async doGenerate(options): Promise<LanguageModelV3GenerateResult> {
      const { parameters, warnings } = chatParameters(options)
      const reply = await client.chat(parameters)
      const content: LanguageModelV3Content[] = []
      if (reply.message.content) content.push({ type: 'text', text: reply.message.content })
      for (const call of reply.toolCalls) {
        content.push({
          type: 'tool-call',
          toolCallId: call.id,
          toolName: call.function.name,
          input: call.function.arguments,
        })
      }
      return {
        content,
        finishReason: toFinishReason(reply.finishReason),
        usage: toUsage(reply.usage),
        providerMetadata: toProviderMetadata(reply.tee, reply.settlement),
        request: { body: parameters },
        response: { modelId, body: reply.raw },
        warnings,
      }
    },

    async doStream(options): Promise<LanguageModelV3StreamResult> {
      const { parameters, warnings } = chatParameters(options)
      const chatStream = await client.chat({ ...parameters, stream: true })
      const iterator = chatStream[Symbol.asyncIterator]()
      const textId = 'text-0'
      let phase: 'start' | 'streaming' | 'done' = 'start'
      let textOpen = false

      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        async pull(controller) {
          if (phase === 'start') {
            phase = 'streaming'
            controller.enqueue({ type: 'stream-start', warnings })
          }
          let next: IteratorResult<typeof chatStream extends AsyncIterable<infer T> ? T : never>
          try {
            next = await iterator.next()
          } catch (error) {
            controller.enqueue({ type: 'error', error })
            controller.close()
            phase = 'done'
            return
          }
          if (next.done) {
            if (textOpen) controller.enqueue({ type: 'text-end', id: textId })
            controller.close()
            phase = 'done'
            return
          }
          const chunk = next.value
          if (options.includeRawChunks) controller.enqueue({ type: 'raw', rawValue: chunk.raw })
          const text = chunk.delta.content
          if (text) {
            if (!textOpen) {
              textOpen = true
              controller.enqueue({ type: 'text-start', id: textId })
            }
            controller.enqueue({ type: 'text-delta', id: textId, delta: text })
          }
          if (!chunk.isFinal) return
          if (textOpen) {
            textOpen = false
            controller.enqueue({ type: 'text-end', id: textId })
          }
          for (const call of chunk.toolCalls) {
            const name = call.function.name
            controller.enqueue({ type: 'tool-input-start', id: call.id, toolName: name })
            controller.enqueue({
              type: 'tool-input-delta',
              id: call.id,
              delta: call.function.arguments,
            })
            controller.enqueue({ type: 'tool-input-end', id: call.id })
            controller.enqueue({
              type: 'tool-call',
              toolCallId: call.id,
              toolName: name,
              input: call.function.arguments,
            })
          }
          controller.enqueue({
            type: 'finish',
            finishReason: toFinishReason(chunk.finishReason),
            usage: toUsage(chunk.usage),
            providerMetadata: toProviderMetadata(chunk.tee, chunk.settlement),
          })
        },
        cancel() {
          chatStream.abort()
        },
      })
      const headers: SharedV3Headers = {}
      chatStream.response.headers.forEach((value, name) => {
        headers[name] = value
      })
      return { stream, request: { body: parameters }, response: { headers } }
    },
  }
}
