// Building the ABI request structs of on-chain LLM calls (llm.md §A3–§A4) from OpenAI-style input.
import { InvalidInputError } from '@opengradient/core'
import { pythonJsonDumps } from '../tee/pythonJson.js'
import type { ChatMessage, ChatTool } from '../types.js'

/** How the temperature becomes the integer percentage the chain carries. */
export type TemperatureRounding = 'round' | 'truncate'

const uint32Max = 2 ** 32 - 1

/**
 * The temperature as the chain's integer percentage. `round` (the default) computes
 * `temperature × 100` exactly from the decimal text and rounds half up, so `0.29` gives 29;
 * `truncate` reproduces the reference's `int(temperature * 100)` in binary floating point, which
 * gives 28.
 *
 * @example
 * ```ts
 * temperatureToPercent(0.29) // 29
 * temperatureToPercent(0.29, 'truncate') // 28
 * temperatureToPercent('0.705') // 71
 * ```
 */
export function temperatureToPercent(
  temperature: number | string,
  rounding: TemperatureRounding = 'round',
): number {
  const text = typeof temperature === 'number' ? numberText(temperature) : temperature.trim()
  const match = /^\+?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) {
    throw new InvalidInputError(
      `The temperature "${String(temperature)}" is not a non-negative decimal number.`,
    )
  }
  let percent: number
  if (rounding === 'truncate') {
    percent = Math.trunc(Number(text) * 100)
  } else {
    const fraction = match[2] ?? ''
    const digits = BigInt(`${match[1] ?? ''}${fraction}` || '0')
    // value = digits × 10^(exponent − fraction length); × 100 adds 2 to the exponent.
    const exponent = Number(match[3] ?? 0) - fraction.length + 2
    if (exponent >= 0) percent = Number(digits * 10n ** BigInt(exponent))
    else {
      const divisor = 10n ** BigInt(-exponent)
      const quotient = digits / divisor
      percent = Number((digits % divisor) * 2n >= divisor ? quotient + 1n : quotient)
    }
  }
  if (!Number.isSafeInteger(percent) || percent > uint32Max) {
    throw new InvalidInputError(
      `The temperature "${String(temperature)}" does not fit: temperature × 100 must be at most ${uint32Max}.`,
    )
  }
  return percent
}

function numberText(value: number): string {
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidInputError(`The temperature ${value} is not a finite number of at least 0.`)
  }
  return String(value)
}

/** A tool call as the chain carries it: flat, with JSON-text arguments. */
export type OnChainToolCall = { id: string; name: string; arguments: string }

/** A chat message as the chain carries it (ABI `ChatMessage`). */
export type AbiChatMessage = {
  role: string
  content: string
  name: string
  tool_call_id: string
  tool_calls: OnChainToolCall[]
}

/** A tool as the chain carries it (ABI `ToolDefinition`, description first). */
export type AbiToolDefinition = { description: string; name: string; parameters: string }

/**
 * New ABI messages from OpenAI-style ones: exactly the five ABI fields, missing ones as `""` /
 * `[]`, `null` content as `""`, tool calls flattened to `{id, name, arguments}`. The caller's
 * objects are never changed. Non-string content (multimodal parts) is rejected: the chain
 * carries text only.
 *
 * @example
 * ```ts
 * toAbiMessages([{ role: 'user', content: 'Hi' }])
 * // [{ role: 'user', content: 'Hi', name: '', tool_call_id: '', tool_calls: [] }]
 * ```
 */
export function toAbiMessages(messages: readonly ChatMessage[]): AbiChatMessage[] {
  if (!Array.isArray(messages)) {
    throw new InvalidInputError('"messages" must be an array of chat messages.')
  }
  return messages.map((message, index) => {
    if (typeof message !== 'object' || message === null) {
      throw new InvalidInputError(`Message ${index} is not an object.`)
    }
    const content = message.content ?? ''
    if (typeof content !== 'string') {
      throw new InvalidInputError(
        `Message ${index} has non-text content, which on-chain LLM calls cannot carry.`,
        { metaMessages: ['Send multimodal content through the LLM gateway instead.'] },
      )
    }
    return {
      role: String(message.role),
      content,
      name: typeof message.name === 'string' ? message.name : '',
      tool_call_id: typeof message.tool_call_id === 'string' ? message.tool_call_id : '',
      tool_calls: (message.tool_calls ?? []).map((call: unknown) => flatToolCall(call, index)),
    }
  })
}

function flatToolCall(call: unknown, messageIndex: number): OnChainToolCall {
  if (typeof call !== 'object' || call === null) {
    throw new InvalidInputError(`A tool call of message ${messageIndex} is not an object.`)
  }
  const record = call as Record<string, unknown>
  const fn = (
    typeof record.function === 'object' && record.function !== null ? record.function : record
  ) as Record<string, unknown>
  const args = fn.arguments
  return {
    id: typeof record.id === 'string' ? record.id : '',
    name: typeof fn.name === 'string' ? fn.name : '',
    arguments:
      typeof args === 'string' ? args : args === undefined ? '{}' : toJsonText(args, 'arguments'),
  }
}

/**
 * ABI tool definitions from OpenAI function tools: a missing description becomes `""` and
 * missing parameters `"{}"`; parameters are written as Python's `json.dumps` does (keys in their
 * order), so the calldata matches the reference's byte for byte.
 *
 * @example
 * ```ts
 * toAbiTools([{ type: 'function', function: { name: 'now' } }])
 * // [{ description: '', name: 'now', parameters: '{}' }]
 * ```
 */
export function toAbiTools(tools: readonly ChatTool[]): AbiToolDefinition[] {
  return tools.map((tool, index) => {
    const fn = (tool as { function?: unknown }).function ?? tool
    if (
      typeof fn !== 'object' ||
      fn === null ||
      typeof (fn as { name?: unknown }).name !== 'string'
    ) {
      throw new InvalidInputError(`Tool ${index} has no function name.`)
    }
    const { name, description, parameters } = fn as {
      name: string
      description?: unknown
      parameters?: unknown
    }
    return {
      description: typeof description === 'string' ? description : '',
      name,
      parameters: parameters === undefined ? '{}' : toJsonText(parameters, 'parameters'),
    }
  })
}

/**
 * `tool_choice` as the reference sends it: the caller's value when non-empty, else `""` without
 * tools and `"auto"` with tools (an empty list included).
 *
 * @example
 * ```ts
 * onChainToolChoice(undefined, []) // 'auto'
 * onChainToolChoice(undefined, undefined) // ''
 * ```
 */
export function onChainToolChoice(
  toolChoice: string | undefined,
  tools: readonly ChatTool[] | undefined,
): string {
  if (toolChoice) return toolChoice
  return tools === undefined ? '' : 'auto'
}

function toJsonText(value: unknown, what: string): string {
  try {
    return pythonJsonDumps(value)
  } catch (error) {
    throw new InvalidInputError(
      `Chat LLM failed to convert ${what} into JSON: ${(error as Error).message}`,
      { cause: error },
    )
  }
}
