// Reads a gateway's SSE chat stream (llm.md §B5) into chunks: final events held back and merged,
// tool-call deltas assembled, error events and early ends thrown, the connection closed when the
// consumer stops.
import { StreamError, type ToolCall } from '@opengradient/core'
import type { LlmClient } from '../client/createLlmClient.js'
import type { TeeProof } from '../tee/verifyTeeResponse.js'
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

/** A streamed reply as its TEE signed it. */
type StreamedReply = {
  /** The final events, merged: they carry the `tee_*` fields. */
  event: JsonObject
  output: { finishReason: string | undefined; content: string; toolCalls: ToolCall[] }
}

const noToolCalls: ToolCall[] = []

/**
 * Wraps a successful streaming response in a {@link ChatStream}. Each piece read from the body
 * is parsed into chunks at once and served from a queue, so a chunk costs one resolved promise.
 * Chunks that arrived before an error event are delivered before the error is thrown.
 *
 * @example
 * ```ts
 * const stream = createChatStream({ client, request, settlementMode: 'batch' })
 * for await (const chunk of stream) process.stdout.write(chunk.delta.content ?? '')
 * ```
 */
export function createChatStream(parameters: {
  client: LlmClient
  request: SendGatewayRequestReturnType
  settlementMode: SettlementMode
  signal?: AbortSignal | undefined
  /**
   * Verifies the whole reply once the stream ended, before the final chunk is yielded; what it
   * throws is thrown from the iterator instead.
   */
  verify?: ((reply: StreamedReply) => Promise<TeeProof>) | undefined
}): ChatStream {
  const { client, request, settlementMode } = parameters
  const { response } = request
  const reader = response.body?.getReader()
  const events: SseEvent[] = []
  const parser = createSseParser((event) => events.push(event))
  const calls = new Map<number, AssembledCall>()
  const queue: ChatStreamChunk[] = []
  let head = 0
  let content = ''
  let finalEvent: JsonObject | undefined
  let finalContent = ''
  let finalToolCalls: ToolCallDelta[] = []
  let finalRole: string | undefined
  let finishReason: string | undefined
  let model = 'unknown'
  let queued = 0
  let sawDone = false
  let bodyEnded = false
  /** No chunk will be added to the queue any more. */
  let finished = false
  /** The final chunk was produced: the reply is complete. */
  let completed = false
  /** The consumer stopped (`break`, `abort()`). */
  let stopped = false
  let closed = false
  let failure: unknown
  let started = false
  let pending: Promise<unknown> = Promise.resolve()

  function close(): void {
    if (closed) return
    closed = true
    request.release()
    // Closing the connection is what tells the server to stop generating.
    if (!completed || !sawDone) request.abort()
    void reader?.cancel().catch(() => {})
  }

  /** Turns the events parsed so far into queued chunks, held final events and failures. */
  function processEvents(): void {
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
        failure = new StreamError(
          `The LLM gateway reported an error in the stream: "${errorText(json.error)}".`,
          { event: json, chunksReceived: queued },
        )
        break
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
      for (let position = 0; position < choices.length; position++) {
        const candidate = choices[position]
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

      // OpenAI streams with include_usage send `"usage": null` on every chunk: only a present
      // usage marks the final event.
      if (chunkFinishReason !== undefined || (json.usage !== undefined && json.usage !== null)) {
        // Final events are held back until the end and merged, never replaced.
        finalEvent = finalEvent ? mergeFinal(finalEvent, json) : json
        finishReason ??= chunkFinishReason
        if (deltaContent) finalContent += deltaContent
        if (toolCallDeltas) finalToolCalls = finalToolCalls.concat(toolCallDeltas)
        finalRole ??= role
        continue
      }
      const chunkDelta: ChatStreamChunk['delta'] = {}
      if (role !== undefined) chunkDelta.role = role
      if (deltaContent !== undefined) chunkDelta.content = deltaContent
      if (toolCallDeltas) chunkDelta.toolCalls = toolCallDeltas
      queued++
      queue.push({
        delta: chunkDelta,
        finishReason: undefined,
        isFinal: false,
        model,
        usage: undefined,
        tee: undefined,
        settlement: undefined,
        message: undefined,
        toolCalls: noToolCalls,
        raw: json,
      })
    }
    events.length = 0
  }

  async function finalChunk(event: JsonObject): Promise<ChatStreamChunk> {
    const toolCalls = [...calls.entries()]
      .sort(([left], [right]) => left - right)
      .map(
        ([, call]): ToolCall => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        }),
      )
    const images = await resolveImages(client, event.images, parameters.signal)
    const delta: ChatStreamChunk['delta'] = {}
    if (finalRole !== undefined) delta.role = finalRole
    if (finalContent) delta.content = finalContent
    if (finalToolCalls.length) delta.toolCalls = finalToolCalls
    const messageContent = content || (toolCalls.length ? null : '')
    return {
      delta,
      finishReason,
      isFinal: true,
      model,
      usage: usageOf(event.usage),
      tee: teeMetadataOf(
        event,
        response.headers,
        request.tee?.endpoint ?? client.baseUrl,
        request.tee?.paymentAddress,
      ),
      settlement: settlementOf(response.headers, event, settlementMode),
      message: {
        role: 'assistant',
        content: messageContent,
        rawContent: messageContent,
        toolCalls,
        ...(images ? { images } : {}),
      },
      toolCalls,
      raw: event,
    }
  }

  function shift(): IteratorResult<ChatStreamChunk> {
    const value = queue[head++]!
    if (head === queue.length) {
      queue.length = 0
      head = 0
    }
    return { value, done: false }
  }

  async function pull(): Promise<IteratorResult<ChatStreamChunk>> {
    for (;;) {
      if (head < queue.length) return shift()
      if (failure !== undefined) {
        const error = failure
        failure = undefined
        finished = true
        close()
        throw error
      }
      if (finished || stopped) {
        close()
        return { value: undefined, done: true }
      }
      if (!reader) {
        failure = new StreamError('The LLM gateway answered the stream request without a body.')
        continue
      }
      if (sawDone || bodyEnded) {
        if (!finalEvent) {
          failure = new StreamError(
            sawDone
              ? 'The stream ended with [DONE] but without a final chunk.'
              : 'The stream ended before its final chunk.',
            { chunksReceived: queued },
          )
          continue
        }
        const final = await finalChunk(finalEvent)
        if (parameters.verify) {
          try {
            final.proof = await parameters.verify({
              event: finalEvent,
              // The TEE hashed every delta's content, or the tool calls in index order.
              output: { finishReason, content, toolCalls: final.toolCalls },
            })
          } catch (error) {
            failure = error
            continue
          }
          final.tee!.verified = true
        }
        completed = true
        finished = true
        queue.push(final)
        continue
      }
      let result: ReadableStreamReadResult<Uint8Array>
      try {
        result = await reader.read()
      } catch (error) {
        if (stopped) continue
        const reason = request.abortError(error)
        failure =
          reason !== error || parameters.signal?.aborted
            ? reason
            : new StreamError('The stream was interrupted before its end.', {
                cause: error,
                chunksReceived: queued,
              })
        continue
      }
      if (result.done) {
        parser.end()
        bodyEnded = true
      } else parser.push(result.value)
      processEvents()
    }
  }

  const iterator: AsyncIterator<ChatStreamChunk> = {
    next() {
      // Chunks already parsed are served without another read.
      if (head < queue.length) return Promise.resolve(shift())
      const next = pending.then(pull)
      pending = next.catch(() => {})
      return next
    },
    return() {
      stopped = true
      queue.length = 0
      head = 0
      close()
      return Promise.resolve({ value: undefined, done: true })
    },
  }

  return {
    response,
    abort() {
      stopped = true
      queue.length = 0
      head = 0
      close()
    },
    [Symbol.asyncIterator]() {
      if (started) throw new TypeError('A chat stream can be iterated only once.')
      started = true
      return iterator
    },
  }
}

/**
 * A stream that yields one final chunk made from a complete reply: used when tools and
 * `stream: true` are combined and the reference's non-streaming fallback is on.
 *
 * @example
 * ```ts
 * const stream = chatStreamFromOutput(output, response) // one final chunk
 * ```
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
      ...(output.proof ? { proof: output.proof } : {}),
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
