import { describe, expect, test } from 'vitest'
import type { ChatMessage } from '../types.js'
import { onChainToolChoice, temperatureToPercent, toAbiMessages, toAbiTools } from './requests.js'

describe('temperatureToPercent', () => {
  test('default', () => {
    expect(temperatureToPercent(0.29)).toBe(29)
  })

  test('args: rounding from the decimal text, or the reference truncation', () => {
    const cases: [number | string, number, number][] = [
      [0, 0, 0],
      [0.29, 29, 28],
      [0.57, 57, 56],
      [0.7, 70, 70],
      [1, 100, 100],
      ['0.705', 71, 70],
      ['0.704', 70, 70],
      [1.5, 150, 150],
      [1e-7, 0, 0],
      ['2.5e-1', 25, 25],
      [42949672.95, 4294967295, 4294967295],
    ]
    for (const [temperature, rounded, truncated] of cases) {
      expect(temperatureToPercent(temperature), String(temperature)).toBe(rounded)
      expect(temperatureToPercent(temperature, 'truncate'), String(temperature)).toBe(truncated)
    }
  })

  test('error: negative, not a number, too large', () => {
    expect(() => temperatureToPercent(-0.1)).toThrow('is not a finite number of at least 0')
    expect(() => temperatureToPercent('warm')).toThrow('is not a non-negative decimal number')
    expect(() => temperatureToPercent(42949673)).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: The temperature "42949673" does not fit: temperature × 100 must be at most 4294967295.
      Version: @opengradient/core@0.1.0]
    `)
  })
})

describe('toAbiMessages', () => {
  test('default', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Be brief.', type: 'message' },
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city": "Paris"}' },
          },
        ],
      },
      { role: 'tool', content: 'sunny', tool_call_id: 'call_1', name: 'get_weather' },
    ]
    const copy = structuredClone(messages)
    expect(toAbiMessages(messages)).toEqual([
      { role: 'system', content: 'Be brief.', name: '', tool_call_id: '', tool_calls: [] },
      { role: 'user', content: 'Weather?', name: '', tool_call_id: '', tool_calls: [] },
      {
        role: 'assistant',
        content: '',
        name: '',
        tool_call_id: '',
        tool_calls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city": "Paris"}' }],
      },
      {
        role: 'tool',
        content: 'sunny',
        name: 'get_weather',
        tool_call_id: 'call_1',
        tool_calls: [],
      },
    ])
    // The caller's messages are untouched.
    expect(messages).toEqual(copy)
  })

  test('behavior: flat tool calls and object arguments', () => {
    expect(
      toAbiMessages([
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'a', name: 'f', arguments: { x: 'é' } } as never],
        },
      ])[0]?.tool_calls,
    ).toEqual([{ id: 'a', name: 'f', arguments: '{"x": "\\u00e9"}' }])
  })

  test('error: multimodal content', () => {
    expect(() =>
      toAbiMessages([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]),
    ).toThrow('Message 0 has non-text content, which on-chain LLM calls cannot carry.')
  })
})

describe('toAbiTools', () => {
  test('default', () => {
    expect(
      toAbiTools([
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string', enum: ['Zürich'] } },
            },
          },
        },
        { type: 'function', function: { name: 'now' } },
      ]),
    ).toEqual([
      {
        description: 'Weather',
        name: 'get_weather',
        parameters:
          '{"type": "object", "properties": {"city": {"type": "string", "enum": ["Z\\u00fcrich"]}}}',
      },
      { description: '', name: 'now', parameters: '{}' },
    ])
  })

  test('error: a tool without a name', () => {
    expect(() => toAbiTools([{ type: 'function', function: {} } as never])).toThrow(
      'Tool 0 has no function name.',
    )
  })
})

describe('onChainToolChoice', () => {
  test('default', () => {
    expect(onChainToolChoice(undefined, undefined)).toBe('')
    expect(onChainToolChoice(undefined, [])).toBe('auto')
    expect(onChainToolChoice('', [{ type: 'function', function: { name: 'f' } }])).toBe('auto')
    expect(onChainToolChoice('none', undefined)).toBe('none')
  })
})
