import { describe, expect, test } from 'vitest'
import { toChatMessages, toChatOptions, toFinishReason, toUsage } from './messages.js'

describe('toChatMessages', () => {
  test('default', () => {
    expect(
      toChatMessages([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
        {
          role: 'assistant',
          content: [
            {
              type: 'tool-call',
              toolCallId: 'call_1',
              toolName: 'get_weather',
              input: { city: 'Paris' },
            },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_1',
              toolName: 'get_weather',
              output: { type: 'json', value: { degrees: 24 } },
            },
          ],
        },
      ]),
    ).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"degrees":24}' },
    ])
  })

  test('args: images become image_url parts', () => {
    expect(
      toChatMessages([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'file', mediaType: 'image/png', data: new Uint8Array([1, 2, 3]) },
          ],
        },
      ]),
    ).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AQID' } },
        ],
      },
    ])
  })

  test('error: files other than images', () => {
    expect(() =>
      toChatMessages([
        { role: 'user', content: [{ type: 'file', mediaType: 'application/pdf', data: 'AQID' }] },
      ]),
    ).toThrow('File parts of the media type "application/pdf" are not supported')
  })
})

describe('toChatOptions', () => {
  test('default', () => {
    expect(toChatOptions({ prompt: [] })).toEqual({
      tools: undefined,
      toolChoice: undefined,
      responseFormat: undefined,
      warnings: [],
    })
  })

  test('args: tools, toolChoice, responseFormat and unsupported settings', () => {
    const options = toChatOptions({
      prompt: [],
      topP: 0.5,
      tools: [{ type: 'function', name: 'get_weather', inputSchema: { type: 'object' } }],
      toolChoice: { type: 'tool', toolName: 'get_weather' },
      responseFormat: { type: 'json', schema: { type: 'object' }, name: 'weather' },
    })
    expect(options).toEqual({
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
      ],
      toolChoice: { type: 'function', function: { name: 'get_weather' } },
      responseFormat: {
        type: 'json_schema',
        jsonSchema: { name: 'weather', schema: { type: 'object' } },
      },
      warnings: [{ type: 'unsupported', feature: 'topP' }],
    })
  })
})

describe('toFinishReason', () => {
  test('default', () => {
    expect(
      ['stop', 'length', 'tool_calls', 'content_filter', undefined].map(toFinishReason),
    ).toEqual([
      { unified: 'stop', raw: 'stop' },
      { unified: 'length', raw: 'length' },
      { unified: 'tool-calls', raw: 'tool_calls' },
      { unified: 'content-filter', raw: 'content_filter' },
      { unified: 'other', raw: undefined },
    ])
  })
})

describe('toUsage', () => {
  test('default', () => {
    expect(toUsage({ promptTokens: 6, completionTokens: 4, totalTokens: 10 })).toEqual({
      inputTokens: { total: 6, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 4, text: undefined, reasoning: undefined },
    })
  })
})
