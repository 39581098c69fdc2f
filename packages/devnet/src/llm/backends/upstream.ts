// The `upstream` backend: forwards to any OpenAI-compatible server, for real answers locally.
import { createSseParser } from '@opengradient/llm'
import { GatewayError } from '../errors.js'
import type { GenerationEvent, GenerationRequest, LlmBackend } from '../types.js'

export type UpstreamBackendConfig = {
  url: string
  apiKey?: string | undefined
  /** @default the request's model */
  model?: string | undefined
  headers?: Readonly<Record<string, string>> | undefined
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch | undefined
}

/**
 * Creates a backend that forwards each request to an OpenAI-compatible server: same body, the
 * upstream's model name, its API key, streaming when the client streams. Gateway-only fields
 * (`web_search`) are dropped; a `json_object` request without any mention of JSON gets the
 * gateway's system message "Respond in JSON format.".
 *
 * @example
 * ```ts
 * const backend = createUpstreamBackend({ url: 'http://127.0.0.1:11434', model: 'llama3.2' })
 * ```
 */
export function createUpstreamBackend(config: UpstreamBackendConfig): LlmBackend {
  const fetch = config.fetch ?? globalThis.fetch
  const base = config.url.replace(/\/+$/, '')
  const root = base.endsWith('/v1') ? base : `${base}/v1`

  return async function* upstream(request: GenerationRequest): AsyncGenerator<GenerationEvent> {
    const chat = request.endpoint === 'chat'
    const { web_search: _webSearch, ...body } = request.body
    body.model = config.model ?? request.body.model
    if (request.stream) {
      body.stream = true
      body.stream_options = { include_usage: true }
    } else delete body.stream
    if (chat && request.responseFormat?.type === 'json_object') {
      const messages = request.messages
      if (!messages.some((message) => /json/i.test(JSON.stringify(message.content ?? '')))) {
        body.messages = [{ role: 'system', content: 'Respond in JSON format.' }, ...messages]
      }
    }
    let response: Response
    try {
      response = await fetch(`${root}${chat ? '/chat/completions' : '/completions'}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
          ...config.headers,
        },
        body: JSON.stringify(body),
        signal: request.signal,
      })
    } catch (error) {
      throw new GatewayError(502, 'Upstream request failed', (error as Error).message)
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '')
      throw new GatewayError(
        response.status === 400 || response.status === 404 ? 400 : 502,
        'Upstream request failed',
        `HTTP ${response.status}${text ? `: ${text.slice(0, 500)}` : ''}`,
      )
    }

    if (!request.stream) {
      const json = (await response.json()) as Record<string, unknown>
      const choice = (json.choices as Record<string, unknown>[] | undefined)?.[0] ?? {}
      const message = (choice.message ?? {}) as Record<string, unknown>
      const content = chat ? message.content : choice.text
      if (typeof content === 'string' && content) yield { type: 'content', text: content }
      const calls = Array.isArray(message.tool_calls) ? message.tool_calls : []
      for (const [index, call] of calls.entries()) {
        const fn = (call.function ?? {}) as Record<string, unknown>
        yield {
          type: 'toolCall',
          index,
          id: call.id,
          name: fn.name as string,
          arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments),
        }
      }
      yield {
        type: 'finish',
        finishReason: String(choice.finish_reason ?? (calls.length ? 'tool_calls' : 'stop')),
        usage: usageOf(json.usage),
      }
      return
    }

    const queue: unknown[] = []
    let done = false
    const parser = createSseParser((event) => {
      const data = event.data.trim()
      if (data === '[DONE]') done = true
      else
        try {
          queue.push(JSON.parse(data))
        } catch {}
    })
    let finishReason: string | undefined
    let usage: ReturnType<typeof usageOf>
    const reader = response.body!.getReader()
    try {
      while (!done) {
        const { value, done: ended } = await reader.read()
        if (ended) parser.end()
        else parser.push(value)
        for (const event of queue.splice(0)) {
          const json = event as Record<string, unknown>
          if (json.error)
            throw new GatewayError(502, 'Upstream stream failed', JSON.stringify(json.error))
          usage = usageOf(json.usage) ?? usage
          const choice = (json.choices as Record<string, unknown>[] | undefined)?.[0]
          if (!choice) continue
          if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason
          const delta = (choice.delta ?? {}) as Record<string, unknown>
          const text = chat ? delta.content : choice.text
          if (typeof text === 'string' && text) yield { type: 'content', text }
          for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
            const fn = (call.function ?? {}) as Record<string, unknown>
            yield {
              type: 'toolCall',
              index: typeof call.index === 'number' ? call.index : 0,
              id: call.id,
              name: fn.name as string | undefined,
              arguments: fn.arguments as string | undefined,
            }
          }
        }
        if (ended) break
      }
    } finally {
      await reader.cancel().catch(() => {})
    }
    yield { type: 'finish', finishReason: finishReason ?? 'stop', usage }
  }
}

function usageOf(value: unknown): { promptTokens: number; completionTokens: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const usage = value as Record<string, unknown>
  return {
    promptTokens: Number(usage.prompt_tokens ?? 0),
    completionTokens: Number(usage.completion_tokens ?? 0),
  }
}
