import { concat, keccak256, numberToHex, stringToBytes } from 'viem'
import { describe, expect, test } from 'vitest'
import { canonicalTeeRequest, teeOutputText } from './canonical.js'

const hash = (text: string) => keccak256(stringToBytes(text)).slice(2)

describe('canonicalTeeRequest', () => {
  test('default: the chat vector of llm.md §D6', () => {
    const body = JSON.stringify({
      model: 'claude-haiku-4-5',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Héllo 😀' },
      ],
      max_tokens: 100,
      temperature: 0,
      stream: true,
      tool_choice: 'auto',
    })
    const canonical = canonicalTeeRequest({ endpoint: 'chat', body })
    expect(canonical).toBe(
      '{"max_tokens": 100, "messages": [{"content": "You are terse.", "role": "system"}, {"content": "H\\u00e9llo \\ud83d\\ude00", "role": "user"}], "model": "claude-haiku-4-5", "temperature": 0.0}',
    )
    expect(hash(canonical)).toBe('2f568cc313850438d5e2b1dc9b18715f0cfd9992ffc774239252ffb098ec8f3c')
    const outputHash = hash(
      teeOutputText({ endpoint: 'chat', finishReason: 'stop', content: 'Hi there' }),
    )
    expect(outputHash).toBe('3e92a13b68d1868e828788f049395ed44b701955777c5f51f0b3559bb05dbaf8')
    expect(
      keccak256(
        concat([`0x${hash(canonical)}`, `0x${outputHash}`, numberToHex(1760000000, { size: 32 })]),
      ).slice(2),
    ).toBe('90ed6601e5bae33cbb92725846b0f204beb7b3a496ba9424fb89b82e9fa00a47')
  })

  test('args: the completion vector of llm.md §D6', () => {
    const canonical = canonicalTeeRequest({
      endpoint: 'completion',
      body: { model: 'gpt-5', prompt: 'Say hi', max_tokens: 50 },
    })
    expect(canonical).toBe(
      '{"max_tokens": 50, "model": "gpt-5", "prompt": "Say hi", "temperature": 0.0}',
    )
    expect(hash(canonical)).toBe('26b600192cf0ab7dae2b172b4dddcb90731e68977135ad6be0263c171c52fcec')
  })

  test('behavior: messages are normalised by role', () => {
    const canonical = canonicalTeeRequest({
      endpoint: 'chat',
      body: JSON.stringify({
        model: 'm',
        messages: [
          { role: 'developer', content: 'rules', name: 'x' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } },
              { type: 'file', file: { filename: 'a.pdf', file_data: '…' } },
            ],
          },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', function: { name: 'f' } }] },
          { role: 'tool', content: 'ok', tool_call_id: 'c1' },
          { role: 'function', content: 'old', name: 'f' },
        ],
        temperature: 0.5,
        stop: [],
        tools: [{ type: 'function', function: { name: 'f' } }],
        response_format: { type: 'json_object' },
        web_search: true,
      }),
    })
    expect(JSON.parse(canonical)).toEqual({
      messages: [
        { role: 'system', content: 'rules' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url' },
            { type: 'file', filename: 'a.pdf' },
          ],
        },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '' } }],
        },
        { role: 'tool', content: 'ok', tool_call_id: 'c1' },
        { role: 'function', content: 'old', name: 'f' },
      ],
      model: 'm',
      temperature: 0.5,
      tools: [{ type: 'function', function: { name: 'f' } }],
      response_format: { type: 'json_object' },
      web_search: true,
    })
  })

  test('error: an unknown role', () => {
    expect(() =>
      canonicalTeeRequest({
        endpoint: 'chat',
        body: { model: 'm', messages: [{ role: 'wizard' }] },
      }),
    ).toThrow('Message 0 has the role "wizard", which a TEE gateway does not accept.')
  })
})

describe('teeOutputText', () => {
  test('default: the tool-call vector of llm.md §D6', () => {
    const text = teeOutputText({
      endpoint: 'chat',
      finishReason: 'tool_calls',
      content: null,
      toolCalls: [
        {
          id: 'call_1',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city": "Paris"}' },
        },
      ],
    })
    expect(text).toBe(
      '[{"function": {"arguments": "{\\"city\\": \\"Paris\\"}", "name": "get_weather"}, "id": "call_1", "type": "function"}]',
    )
    expect(hash(text)).toBe('1f0f20185d50442efcef1911793ef7e5e09834db7c50217a15c779df0db9b122')
  })

  test('args: content blocks are joined without separators', () => {
    expect(
      teeOutputText({
        endpoint: 'chat',
        finishReason: 'stop',
        content: [
          { type: 'text', text: 'a' },
          { type: 'thought', signature: 'x' },
          { type: 'text', text: 'b' },
        ],
      }),
    ).toBe('ab')
    expect(teeOutputText({ endpoint: 'completion', text: 'done' })).toBe('done')
  })
})
