// The texts a TEE gateway hashes and signs (llm.md §D2–§D4): its canonical form of the request
// it received, and the output content.
import { InvalidInputError } from '@opengradient/core'
import { JsonFloat, parseJsonExact, pythonJsonDumps } from './pythonJson.js'

/** Which gateway endpoint a request went to. */
export type TeeEndpoint = 'chat' | 'completion'

export type CanonicalTeeRequestParameters = {
  endpoint: TeeEndpoint
  /**
   * The request body as sent on the wire: its JSON text (best, since `0` and `0.0` hash
   * differently), or the parsed object.
   */
  body: string | Readonly<Record<string, unknown>>
}

/**
 * The canonical request text a TEE gateway hashes into `tee_request_hash`: a fixed subset of
 * the wire body, messages normalised by role, `temperature` always a float, keys sorted and
 * written as Python's `json.dumps(…, sort_keys=True)`.
 *
 * `tool_choice`, `stream` and other fields are not part of it.
 *
 * @example
 * ```ts
 * canonicalTeeRequest({
 *   endpoint: 'completion',
 *   body: '{"model": "gpt-5", "prompt": "Say hi", "max_tokens": 50}',
 * })
 * // '{"max_tokens": 50, "model": "gpt-5", "prompt": "Say hi", "temperature": 0.0}'
 * ```
 */
export function canonicalTeeRequest(parameters: CanonicalTeeRequestParameters): string {
  const body = (
    typeof parameters.body === 'string' ? parseJsonExact(parameters.body) : parameters.body
  ) as Record<string, unknown>
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidInputError('The request body is not a JSON object.')
  }
  const canonical: Record<string, unknown> = { model: body.model }
  if (parameters.endpoint === 'chat') {
    const messages = Array.isArray(body.messages) ? body.messages : []
    canonical.messages = messages.map((message, index) => canonicalMessage(message, index))
  } else {
    canonical.prompt = body.prompt
  }
  canonical.temperature = new JsonFloat(floatOf(body.temperature))
  if (body.max_tokens !== undefined && body.max_tokens !== null)
    canonical.max_tokens = body.max_tokens
  if (Array.isArray(body.stop) && body.stop.length > 0) canonical.stop = body.stop
  if (parameters.endpoint === 'chat') {
    if (Array.isArray(body.tools) && body.tools.length > 0) canonical.tools = body.tools
    if (isNonEmptyObject(body.response_format)) canonical.response_format = body.response_format
    if (isTruthy(body.web_search)) canonical.web_search = true
  }
  return pythonJsonDumps(canonical, { sortKeys: true })
}

export type TeeOutputTextParameters =
  | {
      endpoint: 'chat'
      finishReason: string | null | undefined
      /** The assistant message's `content` as received (string, null or content blocks). */
      content: unknown
      /**
       * The assistant message's `tool_calls` as received, without stream `index` keys, in
       * index order.
       */
      toolCalls?: readonly unknown[] | null | undefined
    }
  | { endpoint: 'completion'; text: string }

/**
 * The output text a TEE gateway hashes into `tee_output_hash`: the completion text; for chat,
 * the assistant text (content blocks concatenated without separators), or, when the model
 * called tools, the tool calls as `json.dumps(tool_calls, sort_keys=True)`.
 *
 * @example
 * ```ts
 * teeOutputText({ endpoint: 'chat', finishReason: 'stop', content: 'Hi there' }) // 'Hi there'
 * ```
 */
export function teeOutputText(parameters: TeeOutputTextParameters): string {
  if (parameters.endpoint === 'completion') return parameters.text
  const { finishReason, content, toolCalls } = parameters
  if (finishReason === 'tool_calls' && Array.isArray(toolCalls) && toolCalls.length > 0) {
    return pythonJsonDumps(toolCalls, { sortKeys: true })
  }
  if (typeof content === 'string') return content
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (typeof part === 'object' && part !== null && !Array.isArray(part)) {
          const text = (part as Record<string, unknown>).text
          return text === undefined || text === null ? '' : String(text)
        }
        return String(part)
      })
      .join('')
  }
  return content === null || content === undefined ? '' : String(content)
}

function canonicalMessage(message: unknown, index: number): Record<string, unknown> {
  if (typeof message !== 'object' || message === null) {
    throw new InvalidInputError(`Message ${index} is not an object.`)
  }
  const { role, content } = message as Record<string, unknown>
  switch (role) {
    case 'system':
    case 'developer':
      return { role: 'system', content }
    case 'user':
      return { role: 'user', content: canonicalUserContent(content) }
    case 'assistant': {
      const canonical: Record<string, unknown> = { role: 'assistant', content: or(content, '') }
      const toolCalls = (message as Record<string, unknown>).tool_calls
      if (Array.isArray(toolCalls) && toolCalls.length > 0) {
        canonical.tool_calls = toolCalls.map((call) => {
          const { id, type, function: fn } = (call ?? {}) as Record<string, unknown>
          const { name, arguments: args } = (fn ?? {}) as Record<string, unknown>
          return {
            id: or(id, ''),
            type: or(type, 'function'),
            function: { name: or(name, ''), arguments: or(args, '') },
          }
        })
      }
      return canonical
    }
    case 'tool':
      return {
        role: 'tool',
        content,
        tool_call_id: (message as Record<string, unknown>).tool_call_id,
      }
    case 'function':
      return { role: 'function', content, name: (message as Record<string, unknown>).name }
    default:
      throw new InvalidInputError(
        `Message ${index} has the role "${String(role)}", which a TEE gateway does not accept.`,
      )
  }
}

function canonicalUserContent(content: unknown): unknown {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return String(content)
  return content.map((part) => {
    if (typeof part !== 'object' || part === null || Array.isArray(part)) {
      return { type: 'text', text: String(part) }
    }
    const { type, text, file, filename } = part as Record<string, unknown>
    if (type === 'text') return { type: 'text', text: or(text, '') }
    const canonical: Record<string, unknown> = { type }
    const name = (file as Record<string, unknown> | undefined)?.filename ?? filename
    if (isTruthy(name)) canonical.filename = name
    return canonical
  })
}

function floatOf(value: unknown): number {
  if (value === undefined || value === null) return 0
  if (value instanceof JsonFloat) return value.value
  if (typeof value === 'bigint') return Number(value)
  const number = Number(value)
  if (!Number.isFinite(number)) {
    throw new InvalidInputError(`The temperature ${String(value)} cannot be hashed.`)
  }
  return number
}

function isNonEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0
}

/** Python's truthiness: None, False, zero, and empty strings, lists and dicts are false. */
function isTruthy(value: unknown): boolean {
  if (value instanceof JsonFloat) return value.value !== 0
  if (Array.isArray(value)) return value.length > 0
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0
  return Boolean(value)
}

/** Python's `value or fallback`. */
function or(value: unknown, fallback: unknown): unknown {
  return isTruthy(value) ? value : fallback
}
