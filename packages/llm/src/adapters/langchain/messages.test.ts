import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages'
import { describe, expect, test } from 'vitest'
import { toChatMessage, toToolChoice } from './messages.js'

describe('toChatMessage', () => {
  test('default', () => {
    expect(
      [
        new SystemMessage('Be brief.'),
        new HumanMessage('Weather in Paris?'),
        new AIMessage('It is sunny.'),
        new ToolMessage({ content: '24 degrees', tool_call_id: 'call_1' }),
      ].map(toChatMessage),
    ).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: 'It is sunny.' },
      { role: 'tool', content: '24 degrees', tool_call_id: 'call_1' },
    ])
  })

  test('behavior: content blocks are flattened; images stay parts', () => {
    expect(
      toChatMessage(
        new AIMessage({
          content: [
            { type: 'text', text: 'Sunny, ' },
            { type: 'text', text: '24 degrees.' },
          ],
        }),
      ),
    ).toEqual({ role: 'assistant', content: 'Sunny, 24 degrees.' })
    expect(
      toChatMessage(
        new HumanMessage({
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: 'https://example.com/a.png' },
          ],
        }),
      ),
    ).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
      ],
    })
  })
})

describe('toToolChoice', () => {
  test('default', () => {
    expect(['auto', 'none', 'required', 'any', 'get_weather', undefined].map(toToolChoice)).toEqual(
      [
        'auto',
        'none',
        'required',
        'required',
        { type: 'function', function: { name: 'get_weather' } },
        undefined,
      ],
    )
  })
})
