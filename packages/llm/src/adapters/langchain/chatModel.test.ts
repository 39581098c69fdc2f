import {
  AIMessage,
  type AIMessageChunk,
  ChatMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages'
import { tool } from '@langchain/core/tools'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { devnetLlmClient } from '../../../test/servers.js'
import { ChatOpenGradient } from './chatModel.js'

const getWeather = tool(async ({ city }: { city: string }) => `Sunny in ${city}, 24 degrees.`, {
  name: 'get_weather',
  description: 'The weather in a city',
  schema: z.object({ city: z.string() }),
})

const weatherScript = JSON.stringify({
  replies: [
    { when: { lastRole: 'tool' }, content: 'It is sunny in Paris.' },
    { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
  ],
})

function scriptedModel() {
  const client = devnetLlmClient({ headers: { 'x-devnet-llm-script': weatherScript } })
  return new ChatOpenGradient({ model: 'devnet/script', client })
}

describe('ChatOpenGradient', () => {
  test('default', async () => {
    const model = new ChatOpenGradient({ model: 'devnet/tiny', client: devnetLlmClient() })
    expect(model._llmType()).toBe('opengradient')
    expect(model._identifyingParams()).toEqual({ model_name: 'devnet/tiny' })
    expect(model.maxTokens).toBe(300)
    const reply = await model.invoke('Tell me about the weather.')
    expect(reply.content).toBe('The weather is mild today.')
    expect(reply.tool_calls).toEqual([])
    expect(reply.usage_metadata).toEqual({ input_tokens: 6, output_tokens: 6, total_tokens: 12 })
    expect(reply.response_metadata).toMatchObject({
      model_provider: 'opengradient',
      model_name: 'tiny',
      finish_reason: 'stop',
      tee: { signature: expect.any(String), requestHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      settlement: { mode: 'batch' },
    })
  })

  test('args: clientConfig, maxTokens, stop and messages', async () => {
    const model = new ChatOpenGradient({
      model: 'devnet/tiny',
      clientConfig: { baseUrl: devnetLlmClient().baseUrl },
      maxTokens: 2,
    })
    const reply = await model.invoke([
      new SystemMessage('Be brief.'),
      new HumanMessage('Tell me about the weather.'),
    ])
    expect(reply.content).toBe('The weather')
    expect(reply.response_metadata.finish_reason).toBe('length')
  })

  test('behavior: stream', async () => {
    const model = new ChatOpenGradient({ model: 'devnet/tiny', client: devnetLlmClient() })
    const pieces: string[] = []
    let last: AIMessageChunk | undefined
    for await (const chunk of await model.stream('Tell me about the weather.')) {
      pieces.push(chunk.content as string)
      last = last ? last.concat(chunk) : chunk
    }
    expect(pieces.length).toBeGreaterThan(1)
    expect(pieces.join('')).toBe('The weather is mild today.')
    expect(last?.usage_metadata).toMatchObject({ input_tokens: 6, output_tokens: 6 })
    expect(last?.response_metadata).toMatchObject({
      finish_reason: 'stop',
      tee: { signature: expect.any(String) },
    })
  })

  test('behavior: bindTools returns a new model', () => {
    const model = new ChatOpenGradient({ model: 'devnet/tiny', client: devnetLlmClient() })
    const bound = model.bindTools([getWeather], { tool_choice: 'get_weather' })
    expect(bound).toBeInstanceOf(ChatOpenGradient)
    expect(bound).not.toBe(model)
    expect(bound.client).toBe(model.client)
    expect(model.tools).toEqual([])
    expect(bound.toolChoice).toEqual({ type: 'function', function: { name: 'get_weather' } })
    expect(bound.tools).toMatchObject([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'The weather in a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ])
  })

  test('behavior: a tool round trip', async () => {
    const model = scriptedModel().bindTools([getWeather])
    const messages = [new HumanMessage('Weather in Paris?')]
    const first = await model.invoke(messages)
    expect(first.content).toBe('')
    expect(first.tool_calls).toMatchObject([
      { id: 'call_1', name: 'get_weather', args: { city: 'Paris' } },
    ])
    expect(first.response_metadata.finish_reason).toBe('tool_calls')
    const call = first.tool_calls?.[0]
    if (!call) throw new Error('expected a tool call')
    const result = await getWeather.invoke(call)
    expect(result).toBeInstanceOf(ToolMessage)
    const second = await model.invoke([...messages, first, result])
    expect(second.content).toBe('It is sunny in Paris.')
  })

  test('behavior: tool calls stream as tool call chunks', async () => {
    const model = scriptedModel().bindTools([getWeather])
    let whole: AIMessageChunk | undefined
    for await (const chunk of await model.stream('Weather in Paris?')) {
      whole = whole ? whole.concat(chunk) : chunk
    }
    expect(whole?.tool_calls).toMatchObject([
      { id: 'call_1', name: 'get_weather', args: { city: 'Paris' } },
    ])
  })

  test('behavior: an AI message with tool calls goes out in the OpenAI form', async () => {
    const seen: unknown[] = []
    const client = devnetLlmClient({
      headers: { 'x-devnet-llm-script': weatherScript },
      onResponse: (_response, info) => {
        seen.push(info.body)
      },
    })
    const model = new ChatOpenGradient({ model: 'devnet/script', client })
    await model.invoke([
      new HumanMessage('Weather in Paris?'),
      new AIMessage({
        content: '',
        tool_calls: [{ id: 'call_1', name: 'get_weather', args: { city: 'Paris' } }],
      }),
      new ToolMessage({ content: 'Sunny', tool_call_id: 'call_1' }),
    ])
    expect((seen[0] as { messages: unknown }).messages).toEqual([
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
      { role: 'tool', content: 'Sunny', tool_call_id: 'call_1' },
    ])
  })

  test('error: an unexpected message type', async () => {
    const model = new ChatOpenGradient({ model: 'devnet/tiny', client: devnetLlmClient() })
    await expect(model.invoke([new ChatMessage('Hi', 'narrator')])).rejects.toThrow(
      'Unexpected message type: "generic".',
    )
    expect(() => new ChatOpenGradient({ model: 'tiny' })).toThrow('has no provider prefix')
  })
})
