// Reads a gateway's SSE chat stream (llm.md §B5) into chunks: final events held back and merged,
// tool-call deltas assembled, error events and early ends thrown, the connection closed when the
// consumer stops.
import { StreamError, type ToolCall } from '@opengradient/core'
import type { LlmClient } from '../client/createLlmClient.js'
import type { ChatOutput, ChatStream, ChatStreamChunk, ToolCallDelta } from '../types.js'
import type { SettlementMode } from '../utils/settlementMode.js'
import {
  flattenContent,
  isObject,
  resolveImages,
  settlementOf,
  teeMetadataOf,
  usageOf,
} from './parseResponse.js'
import type { SendGatewayRequestReturnType } from './request.js'
import { createSseParser, type SseEvent } from './sse.js'

type JsonObject = Record<string, unknown>

type AssembledCall = { id: string; name: string; arguments: string }

const noToolCalls: ToolCall[] = []

/**
 * Wraps a successful streaming response in a {@link ChatStream}.
 */
export function createChatStream(parameters: {
  client: LlmClient
  request: SendGatewayRequestReturnType
  settlementMode: SettlementMode
  signal?: AbortSignal | undefined
}): ChatStream {
  const { client, request, settlementMode } = parameters
  const { response } = request
  let stopped = false
  let started = false

  async function* iterate(): AsyncGenerator<ChatStreamChunk, void, undefined> {
    const reader = response.body?.getReader()
    if (!reader) {
      request.release()
      throw new StreamError('The LLM gateway answered the stream request without a body.')
    }
    const events: SseEvent[] = []
    const parser = createSseParser((event) => events.push(event))
    const calls = new Map<number, AssembledCall>()
    let content = ''
    let finalEvent: JsonObject | undefined
    let finalContent = ''
    let finalToolCalls: ToolCallDelta[] = []
    let finalRole: string | undefined
    let finishReason: string | undefined
    let model = 'unknown'
    let delivered = 0
    let sawDone = false
    let completed = false

    try {
      while (!sawDone) {
        let result: ReadableStreamReadResult<Uint8Array>
        try {
          result = await reader.read()
        } catch (error) {
          if (stopped) return
          const reason = request.abortError(error)
          if (reason !== error || parameters.signal?.aborted) throw reason
          throw new StreamError('The stream was interrupted before its end.', {
            cause: error,
            chunksReceived: delivered,
          })
        }
        if (result.done) parser.end()
        else parser.push(result.value)

        for (let index = 0; index < events.length; index++) {
          const data = events[index]!.data.trim()
          if (data === '[DONE]') {
            sawDone = true
            break
          }
          let json: unknown
          try {
            json = JSON.parse(data)
          } catch {
            continue
          }
          if (!isObject(json)) continue
          if (json.error !== undefined && json.error !== null) {
            throw new StreamError(
              `The LLM gateway reported an error in the stream: "${errorText(json.error)}".`,
              { event: json, chunksReceived: delivered },
            )
          }
          if (typeof json.model === 'string') model = json.model
          const choices = Array.isArray(json.choices) ? json.choices : []
          const choice = isObject(choices[0]) ? choices[0] : undefined
          const delta = isObject(choice?.delta)
            ? choice.delta
            : isObject(choice?.message)
              ? choice.message
              : {}
          let chunkFinishReason: string | undefined
          for (const candidate of choices) {
            if (isObject(candidate) && typeof candidate.finish_reason === 'string') {
              chunkFinishReason = candidate.finish_reason
              break
            }
          }
          const deltaContent =
            typeof delta.content === 'string'
              ? delta.content
              : (flattenContent(delta.content) ?? undefined)
          const toolCallDeltas = Array.isArray(delta.tool_calls)
            ? toolCallDeltasOf(delta.tool_calls)
            : undefined
          if (toolCallDeltas) assemble(calls, toolCallDeltas)
          if (deltaContent) content += deltaContent
          const role = typeof delta.role === 'string' ? delta.role : undefined

          // OpenAI streams with include_usage send `"usage": null` on every chunk: only a
          // present usage marks the final event.
          if (
            chunkFinishReason !== undefined ||
            (json.usage !== undefined && json.usage !== null)
          ) {
            // Final events are held back until the end and merged, never replaced.
            finalEvent = finalEvent ? mergeFinal(finalEvent, json) : json
            finishReason ??= chunkFinishReason
            if (deltaContent) finalContent += deltaContent
            if (toolCallDeltas) finalToolCalls = finalToolCalls.concat(toolCallDeltas)
            finalRole ??= role
            continue
          }
          delivered++
          yield {
            delta: {
              ...(role !== undefined ? { role } : {}),
              ...(deltaContent !== undefined ? { content: deltaContent } : {}),
              ...(toolCallDeltas ? { toolCalls: toolCallDeltas } : {}),
            },
            finishReason: undefined,
            isFinal: false,
            model,
            usage: undefined,
            tee: undefined,
            settlement: undefined,
            message: undefined,
            toolCalls: noToolCalls,
            raw: json,
          }
        }
        events.length = 0
        if (result.done) break
      }

      if (!finalEvent) {
        throw new StreamError(
          sawDone
            ? 'The stream ended with [DONE] but without a final chunk.'
            : 'The stream ended before its final chunk.',
          { chunksReceived: delivered },
        )
      }
      completed = true
      const toolCalls = [...calls.entries()]
        .sort(([left], [right]) => left - right)
        .map(
          ([, call]): ToolCall => ({
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: call.arguments },
          }),
        )
      const images = await resolveImages(client, finalEvent.images, parameters.signal)
      yield {
        delta: {
          ...(finalRole !== undefined ? { role: finalRole } : {}),
          ...(finalContent ? { content: finalContent } : {}),
          ...(finalToolCalls.length ? { toolCalls: finalToolCalls } : {}),
        },
        finishReason,
        isFinal: true,
        model,
        usage: usageOf(finalEvent.usage),
        tee: teeMetadataOf(finalEvent, response.headers, client.baseUrl),
        settlement: settlementOf(response.headers, finalEvent, settlementMode),
        message: {
          role: 'assistant',
          content: content || (toolCalls.length ? null : ''),
          rawContent: content || (toolCalls.length ? null : ''),
          toolCalls,
          ...(images ? { images } : {}),
        },
        toolCalls,
        raw: finalEvent,
      }
    } finally {
      request.release()
      if (!completed || !sawDone) {
        // Closing the connection is what tells the server to stop generating.
        stopped = true
        request.abort()
      }
      await reader.cancel().catch(() => {})
    }
  }

  const generator = iterate()
  return {
    response,
    abort() {
      stopped = true
      request.abort()
      if (!started) {
        request.release()
        void response.body?.cancel().catch(() => {})
      }
      void generator.return(undefined).catch(() => {})
    },
    [Symbol.asyncIterator]() {
      if (started) throw new TypeError('A chat stream can be iterated only once.')
      started = true
      return generator
    },
  }
}

/**
 * A stream that yields one final chunk made from a complete reply: used when tools and
 * `stream: true` are combined and the reference's non-streaming fallback is on.
 */
export function chatStreamFromOutput(output: ChatOutput, response: Response): ChatStream {
  let started = false
  let stopped = false
  async function* iterate(): AsyncGenerator<ChatStreamChunk, void, undefined> {
    if (stopped) return
    yield {
      delta: {
        role: output.message.role,
        ...(output.message.content ? { content: output.message.content } : {}),
        ...(output.toolCalls.length
          ? {
              toolCalls: output.toolCalls.map((call, index) => ({
                index,
                id: call.id,
                type: 'function' as const,
                function: { name: call.function.name, arguments: call.function.arguments },
              })),
            }
          : {}),
      },
      finishReason: output.finishReason,
      isFinal: true,
      model: isObject(output.raw) && typeof output.raw.model === 'string' ? output.raw.model : '',
      usage: output.usage,
      tee: output.tee,
      settlement: output.settlement,
      message: output.message,
      toolCalls: output.toolCalls,
      raw: output.raw,
    }
  }
  const generator = iterate()
  return {
    response,
    abort() {
      stopped = true
      void generator.return(undefined)
    },
    [Symbol.asyncIterator]() {
      if (started) throw new TypeError('A chat stream can be iterated only once.')
      started = true
      return generator
    },
  }
}

function toolCallDeltasOf(value: unknown[]): ToolCallDelta[] {
  return value.filter(isObject).map((call, position) => {
    const fn = isObject(call.function) ? call.function : undefined
    const args = fn?.arguments
    return {
      index: typeof call.index === 'number' ? call.index : position,
      ...(typeof call.id === 'string' ? { id: call.id } : {}),
      ...(call.type === 'function' ? { type: 'function' as const } : {}),
      ...(fn
        ? {
            function: {
              ...(typeof fn.name === 'string' ? { name: fn.name } : {}),
              ...(args !== undefined && args !== null
                ? { arguments: typeof args === 'string' ? args : JSON.stringify(args) }
                : {}),
            },
          }
        : {}),
    }
  })
}

function assemble(calls: Map<number, AssembledCall>, deltas: readonly ToolCallDelta[]): void {
  for (const delta of deltas) {
    let call = calls.get(delta.index)
    if (!call) {
      call = { id: '', name: '', arguments: '' }
      calls.set(delta.index, call)
    }
    if (delta.id && !call.id) call.id = delta.id
    if (delta.function?.name && !call.name) call.name = delta.function.name
    if (delta.function?.arguments) call.arguments += delta.function.arguments
  }
}

/** Later final events fill what earlier ones lacked; nothing already set is replaced. */
function mergeFinal(first: JsonObject, next: JsonObject): JsonObject {
  const merged: JsonObject = { ...first }
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined || value === null) continue
    if (merged[key] === undefined || merged[key] === null) merged[key] = value
  }
  return merged
}

function errorText(error: unknown): string {
  if (typeof error === 'string') return error
  if (isObject(error) && typeof error.message === 'string') return error.message
  return JSON.stringify(error)
}
