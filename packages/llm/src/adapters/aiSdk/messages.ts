// Conversions between the AI SDK's language-model specification (v3) and the gateway's OpenAI shapes.

import type {
  JSONObject,
  LanguageModelV3CallOptions,
  LanguageModelV3FinishReason,
  LanguageModelV3Prompt,
  LanguageModelV3ToolResultOutput,
  LanguageModelV3Usage,
  SharedV3Warning,
} from '@ai-sdk/provider'
import type { SettlementMetadata, TeeMetadata, TokenUsage } from '@opengradient/core'
import { InvalidInputError } from '@opengradient/core'
import type {
  ChatContentPart,
  ChatMessage,
  ChatTool,
  ResponseFormat,
  ToolChoice,
} from '../../types.js'

/**
 * The gateway messages of an AI SDK prompt: system, user (text and images), assistant (text and
 * tool calls in the OpenAI nested form) and one `tool` message per tool result.
 *
 * @example
 * ```ts
 * toChatMessages([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }])
 * // [{ role: 'user', content: 'Hi' }]
 * ```
 */
export function toChatMessages(prompt: LanguageModelV3Prompt): ChatMessage[] {
  const messages: ChatMessage[] = []
  for (const message of prompt) {
    if (message.role === 'system') {
      messages.push({ role: 'system', content: message.content })
    } else if (message.role === 'user') {
      const parts: ChatContentPart[] = []
      for (const part of message.content) {
        if (part.type === 'text') parts.push({ type: 'text', text: part.text })
        else if (part.mediaType.startsWith('image/')) {
          parts.push({ type: 'image_url', image_url: { url: dataUrl(part.data, part.mediaType) } })
        } else {
          throw new InvalidInputError(
            `File parts of the media type "${part.mediaType}" are not supported; only images are.`,
          )
        }
      }
      const only = parts.length === 1 ? message.content[0] : undefined
      messages.push({ role: 'user', content: only?.type === 'text' ? only.text : parts })
    } else if (message.role === 'assistant') {
      let text = ''
      const toolCalls: NonNullable<ChatMessage['tool_calls']>[number][] = []
      for (const part of message.content) {
        if (part.type === 'text') text += part.text
        else if (part.type === 'tool-call') {
          toolCalls.push({
            id: part.toolCallId,
            type: 'function',
            function: {
              name: part.toolName,
              arguments: typeof part.input === 'string' ? part.input : JSON.stringify(part.input),
            },
          })
        }
      }
      messages.push({
        role: 'assistant',
        content: text === '' && toolCalls.length > 0 ? null : text,
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      })
    } else {
      for (const part of message.content) {
        if (part.type !== 'tool-result') continue
        messages.push({
          role: 'tool',
          tool_call_id: part.toolCallId,
          content: toolResultText(part.output),
        })
      }
    }
  }
  return messages
}

function dataUrl(data: string | Uint8Array | URL, mediaType: string): string {
  if (data instanceof URL) return data.toString()
  if (typeof data === 'string') {
    return /^(https?|data):/.test(data) ? data : `data:${mediaType};base64,${data}`
  }
  let binary = ''
  for (const byte of data) binary += String.fromCharCode(byte)
  return `data:${mediaType};base64,${btoa(binary)}`
}

function toolResultText(output: LanguageModelV3ToolResultOutput): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value)
    case 'execution-denied':
      return output.reason ?? 'The tool call was denied.'
    case 'content':
      return output.value
        .map((part) => (part.type === 'text' ? part.text : ''))
        .filter((text) => text !== '')
        .join('\n')
  }
}

/**
 * The gateway's tools, tool choice and response format of AI SDK call options, with warnings
 * for the options the gateway does not take.
 *
 * @example
 * ```ts
 * toChatOptions({ prompt, responseFormat: { type: 'json' } }).responseFormat
 * // { type: 'json_object' }
 * ```
 */
export function toChatOptions(options: LanguageModelV3CallOptions): {
  tools: ChatTool[] | undefined
  toolChoice: ToolChoice | undefined
  responseFormat: ResponseFormat | undefined
  warnings: SharedV3Warning[]
} {
  const warnings: SharedV3Warning[] = []
  for (const feature of ['topP', 'topK', 'presencePenalty', 'frequencyPenalty', 'seed'] as const) {
    if (options[feature] !== undefined) warnings.push({ type: 'unsupported', feature })
  }
  const tools: ChatTool[] = []
  for (const tool of options.tools ?? []) {
    if (tool.type !== 'function') {
      warnings.push({ type: 'unsupported', feature: `provider tool "${tool.name}"` })
      continue
    }
    tools.push({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.inputSchema as Record<string, unknown>,
      },
    })
  }
  const choice = options.toolChoice
  const toolChoice: ToolChoice | undefined =
    choice === undefined
      ? undefined
      : choice.type === 'tool'
        ? { type: 'function', function: { name: choice.toolName } }
        : choice.type
  const format = options.responseFormat
  const responseFormat: ResponseFormat | undefined =
    format?.type !== 'json'
      ? undefined
      : format.schema === undefined
        ? { type: 'json_object' }
        : {
            type: 'json_schema',
            jsonSchema: {
              name: format.name ?? 'response',
              schema: format.schema as Record<string, unknown>,
              ...(format.description !== undefined ? { description: format.description } : {}),
            },
          }
  return {
    tools: tools.length > 0 ? tools : undefined,
    toolChoice: tools.length > 0 ? toolChoice : undefined,
    responseFormat,
    warnings,
  }
}

/**
 * The AI SDK finish reason of a gateway finish reason.
 *
 * @example
 * ```ts
 * toFinishReason('tool_calls') // { unified: 'tool-calls', raw: 'tool_calls' }
 * ```
 */
export function toFinishReason(reason: string | undefined): LanguageModelV3FinishReason {
  const unified =
    reason === 'stop'
      ? 'stop'
      : reason === 'length'
        ? 'length'
        : reason === 'tool_calls' || reason === 'function_call'
          ? 'tool-calls'
          : reason === 'content_filter'
            ? 'content-filter'
            : 'other'
  return { unified, raw: reason }
}

/**
 * The AI SDK usage of the gateway's token counts.
 *
 * @example
 * ```ts
 * toUsage({ promptTokens: 6, completionTokens: 4, totalTokens: 10 }).outputTokens.total // 4
 * ```
 */
export function toUsage(usage: TokenUsage | undefined): LanguageModelV3Usage {
  return {
    inputTokens: {
      total: usage?.promptTokens,
      noCache: undefined,
      cacheRead: undefined,
      cacheWrite: undefined,
    },
    outputTokens: { total: usage?.completionTokens, text: undefined, reasoning: undefined },
  }
}

/**
 * `providerMetadata.opengradient`: the TEE signature and hashes of the reply and its settlement
 * (mode, payment and transaction hashes, the x402 payment response).
 *
 * @example
 * ```ts
 * const { tee, settlement } = toProviderMetadata(reply.tee, reply.settlement).opengradient
 * ```
 */
export function toProviderMetadata(
  tee: TeeMetadata | undefined,
  settlement: SettlementMetadata | undefined,
): { opengradient: JSONObject } {
  return {
    opengradient: {
      tee: toJsonObject(tee),
      settlement: toJsonObject(settlement),
    },
  }
}

function toJsonObject(value: object | undefined): JSONObject | null {
  if (value === undefined) return null
  // Drops undefined fields and anything JSON cannot hold.
  return JSON.parse(JSON.stringify(value)) as JSONObject
}
