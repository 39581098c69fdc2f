// Reading what a request asks about: the last user text, the prompt size.

/**
 * The text of message content: a string, or the `text` parts of a content array joined.
 *
 * @example
 * ```ts
 * contentText([{ type: 'text', text: 'a' }, { type: 'image_url' }]) // 'a'
 * ```
 */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .map((part) =>
      typeof part === 'object' &&
      part !== null &&
      typeof (part as { text?: unknown }).text === 'string'
        ? (part as { text: string }).text
        : '',
    )
    .filter(Boolean)
    .join(' ')
}

/**
 * The text of the last user message (or of the last message when no user spoke).
 *
 * @example
 * ```ts
 * lastUserText([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Yo' }]) // 'Hi'
 * ```
 */
export function lastUserText(messages: readonly Record<string, unknown>[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]?.role === 'user') return contentText(messages[index]?.content)
  }
  return contentText(messages.at(-1)?.content)
}

/**
 * Every message's text, for counting prompt tokens.
 *
 * @example
 * ```ts
 * allText([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]) // 'Be brief.\nHi'
 * ```
 */
export function allText(messages: readonly Record<string, unknown>[]): string {
  return messages.map((message) => contentText(message.content)).join('\n')
}
