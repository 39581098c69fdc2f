// The `script` backend: replies read from a JSON script, for tests of tool calls, structured
// output and failures.
import { pythonJsonDumps } from '@opengradient/llm'
import { GatewayError } from '../errors.js'
import { lastUserText } from '../messages.js'
import type {
  GenerationEvent,
  GenerationRequest,
  LlmBackend,
  LlmScript,
  ScriptedReply,
} from '../types.js'

/**
 * Creates the script backend. The request's own script (header `x-devnet-llm-script`) wins over
 * the configured one; the first reply whose `when` matches answers; with no match (or no
 * script) the reply echoes the last user message. Text is streamed word by word unless the
 * script gives the chunks; `max_tokens` counts chunks.
 *
 * @example
 * ```ts
 * const backend = createScriptBackend({ replies: [{ content: 'Hello!' }] })
 * ```
 */
export function createScriptBackend(configured: LlmScript | undefined): LlmBackend {
  return async function* script(request: GenerationRequest): AsyncGenerator<GenerationEvent> {
    const userText =
      request.endpoint === 'completion' ? request.prompt : lastUserText(request.messages)
    const reply = (request.script ?? configured)?.replies.find((candidate) =>
      matches(candidate, request, userText),
    ) ?? { content: `You said: ${userText}` }

    if (reply.error && reply.error.afterChunks === undefined) {
      throw new GatewayError(
        reply.error.status ?? 500,
        reply.error.message ?? 'Request processing failed',
      )
    }
    const pieces =
      typeof reply.content === 'string'
        ? (reply.content.match(/\s*\S+|\s+/g) ?? [])
        : [...(reply.content ?? [])]
    let chunks = 0
    const pause = async () => {
      if (reply.error?.afterChunks !== undefined && chunks >= reply.error.afterChunks) {
        throw new GatewayError(500, reply.error.message ?? 'Stream processing failed')
      }
      if (reply.chunkDelayMs) await delay(reply.chunkDelayMs, request.signal)
    }
    for (const piece of pieces) {
      if (chunks >= request.maxTokens) {
        yield { type: 'finish', finishReason: 'length', usage: usage(userText, chunks) }
        return
      }
      await pause()
      yield { type: 'content', text: piece }
      chunks++
    }
    const calls = reply.toolCalls ?? []
    for (const [index, call] of calls.entries()) {
      const id = call.id ?? `call_${index + 1}`
      const args =
        typeof call.arguments === 'string' ? call.arguments : pythonJsonDumps(call.arguments ?? {})
      await pause()
      if (reply.toolCallStreaming === 'fragments') {
        yield { type: 'toolCall', index, id, name: call.name }
        const size = Math.max(1, Math.ceil(args.length / 3))
        for (let offset = 0; offset < args.length; offset += size) {
          await pause()
          yield { type: 'toolCall', index, arguments: args.slice(offset, offset + size) }
        }
      } else {
        yield { type: 'toolCall', index, id, name: call.name, arguments: args }
      }
      chunks++
    }
    await pause()
    yield {
      type: 'finish',
      finishReason: reply.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop'),
      usage: usage(userText, chunks),
    }
  }
}

function matches(reply: ScriptedReply, request: GenerationRequest, userText: string): boolean {
  const when = reply.when
  if (!when) return true
  if (when.endpoint !== undefined && when.endpoint !== request.endpoint) return false
  if (when.userIncludes !== undefined && !userText.includes(when.userIncludes)) return false
  if (when.lastRole !== undefined && request.messages.at(-1)?.role !== when.lastRole) return false
  if (when.hasTools !== undefined && (request.tools?.length ?? 0) > 0 !== when.hasTools)
    return false
  return true
}

function usage(prompt: string, completionTokens: number) {
  return { promptTokens: prompt.split(/\s+/).filter(Boolean).length, completionTokens }
}

function delay(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, milliseconds)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
