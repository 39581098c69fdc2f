// Conversions between LangChain messages and tools and the gateway's OpenAI shapes.

import type { BaseMessage, MessageContent } from '@langchain/core/messages'
import { InvalidInputError } from '@opengradient/core'
import type { ChatContentPart, ChatMessage, ToolChoice } from '../../types.js'

/**
 * The gateway message of a LangChain message: `SystemMessage` → `system`, `HumanMessage` →
 * `user`, `AIMessage` → `assistant` with its tool calls in the OpenAI nested form, `ToolMessage`
 * → `tool` with its `tool_call_id`. Any other message throws an `InvalidInputError`.
 *
 * @example
 * ```ts
 * toChatMessage(new ToolMessage({ content: '24 degrees', tool_call_id: 'call_1' }))
 * // { role: 'tool', content: '24 degrees', tool_call_id: 'call_1' }
 * ```
 */
export function toChatMessage(message: BaseMessage): ChatMessage {
  switch (message.type) {
    case 'system':
      return { role: 'system', content: flattenContent(message.content) }
    case 'human':
      return { role: 'user', content: userContent(message.content) }
    case 'ai': {
      const toolCalls =
        (message as { tool_calls?: LangChainToolCall[] | undefined }).tool_calls ?? []
      const content = flattenContent(message.content)
      if (toolCalls.length === 0) return { role: 'assistant', content }
      return {
        role: 'assistant',
        content: content === '' ? null : content,
        tool_calls: toolCalls.map((call, index) => ({
          id: call.id ?? `call_${index}`,
          type: 'function' as const,
          function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
        })),
      }
    }
    case 'tool':
      return {
        role: 'tool',
        content: flattenContent(message.content),
        tool_call_id: (message as { tool_call_id?: string }).tool_call_id ?? '',
      }
    default:
      throw new InvalidInputError(`Unexpected message type: "${message.type}".`, {
        metaMessages: ['Expected a SystemMessage, HumanMessage, AIMessage or ToolMessage.'],
      })
  }
}

type LangChainToolCall = { id?: string | undefined; name: string; args?: Record<string, unknown> }

/** The texts of a message's content blocks, joined; a string stays as it is. */
function flattenContent(content: MessageContent): string {
  if (typeof content === 'string') return content
  return content
    .map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : ''))
    .join('')
}

/** User content: text, or OpenAI parts when the message carries images. */
function userContent(content: MessageContent): string | ChatContentPart[] {
  if (typeof content === 'string') return content
  if (content.every((block) => block.type === 'text')) return flattenContent(content)
  return content.map((block) => {
    if (block.type === 'text') return { type: 'text', text: String(block.text ?? '') }
    if (block.type === 'image_url') {
      const image = block.image_url as string | { url: string }
      return { type: 'image_url', image_url: typeof image === 'string' ? { url: image } : image }
    }
    return block as ChatContentPart
  })
}

/**
 * The gateway's `tool_choice` of a LangChain tool choice: `any` becomes `required`, a bare tool
 * name selects that function, and objects pass through.
 *
 * @example
 * ```ts
 * toToolChoice('get_weather') // { type: 'function', function: { name: 'get_weather' } }
 * ```
 */
export function toToolChoice(choice: unknown): ToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined
  if (typeof choice !== 'string') return choice as ToolChoice
  if (choice === 'any') return 'required'
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice
  return { type: 'function', function: { name: choice } }
}
