import { describe, expect, test } from 'vitest'
import { devnetLlmClient, json, startTestServer } from '../../test/servers.js'
import { createLlmClient } from '../client/createLlmClient.js'
import { chat } from './chat.js'

const messages = [{ role: 'user', content: 'Tell me about the weather.' }]
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}

/** Headers carrying a script for `devnet/script`. */
const script = (replies: unknown[]) => ({ 'x-devnet-llm-script': JSON.stringify({ replies }) })

describe('chat', () => {
  test('default', async () => {
    const client = devnetLlmClient()
    const reply = await chat(client, { model: 'devnet/tiny', messages })
    expect(reply).toMatchObject({
      finishReason: 'stop',
      message: {
        role: 'assistant',
        content: 'The weather is mild today.',
        rawContent: 'The weather is mild today.',
        toolCalls: [],
      },
      toolCalls: [],
      usage: { promptTokens: 6, completionTokens: 6, totalTokens: 12 },
      settlement: { mode: 'batch' },
    })
    expect(reply.tee).toMatchObject({
      signature: expect.any(String),
      timestamp: expect.any(Number),
      requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      outputHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      teeId: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      endpoint: client.baseUrl,
      verified: undefined,
    })
    expect((reply.raw as { model: string }).model).toBe('tiny')
  })

  test('args: maxTokens, stop, temperature, settlementMode', async () => {
    const seen: string[] = []
    const client = devnetLlmClient({
      settlementMode: 'settle-metadata',
      onResponse: (response) => {
        seen.push(response.headers.get('x-settlement-type') ?? '')
      },
    })
    expect(client.settlementMode).toBe('individual')
    const short = await chat(client, { model: 'devnet/tiny', messages, maxTokens: 2 })
    expect(short).toMatchObject({ finishReason: 'length', message: { content: 'The weather' } })
    const stopped = await client.chat({ model: 'devnet/tiny', messages, stop: [' is'] })
    expect(stopped.message.content).toBe('The weather')
    const sampled = await client.chat({
      model: 'devnet/tiny',
      messages,
      temperature: 0.9,
      settlementMode: 'PRIVATE',
    })
    expect(sampled.settlement.mode).toBe('private')
    expect(seen).toEqual(['individual', 'individual', 'private'])
  })

  test('behavior: tool calls', async () => {
    const client = devnetLlmClient()
    const reply = await chat(client, {
      model: 'devnet/script',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
      headers: script([
        { when: { lastRole: 'tool' }, content: 'Sunny, 24 degrees.' },
        { toolCalls: [{ id: 'call_7', name: 'get_weather', arguments: { city: 'Paris' } }] },
      ]),
    })
    const toolCalls = [
      {
        id: 'call_7',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city": "Paris"}' },
      },
    ]
    expect(reply).toMatchObject({
      finishReason: 'tool_calls',
      message: { content: null, toolCalls },
      toolCalls,
    })
    // The tool's answer goes back as the next turn, in the OpenAI shape.
    const answer = await chat(client, {
      model: 'devnet/script',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: toolCalls as never },
        { role: 'tool', tool_call_id: 'call_7', content: '{"sky": "clear"}' },
      ],
      tools: [weatherTool],
      headers: script([
        { when: { lastRole: 'tool' }, content: 'Sunny, 24 degrees.' },
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
      ]),
    })
    expect(answer.message.content).toBe('Sunny, 24 degrees.')
  })

  test('behavior: structured output', async () => {
    const client = devnetLlmClient()
    const schema = {
      type: 'object',
      properties: { summary: { type: 'string' }, rainy: { type: 'boolean' } },
      required: ['summary', 'rainy'],
      additionalProperties: false,
    }
    const reply = await chat(client, {
      model: 'devnet/tiny',
      messages,
      responseFormat: {
        type: 'json_schema',
        jsonSchema: { name: 'forecast', schema, strict: true },
      },
    })
    const value = JSON.parse(reply.message.content ?? '')
    expect(Object.keys(value)).toEqual(['summary', 'rainy'])
    expect(typeof value.summary).toBe('string')

    const object = await chat(client, {
      model: 'devnet/tiny',
      messages,
      responseFormat: { type: 'json_object' },
    })
    expect(JSON.parse(object.message.content ?? '')).toEqual({ answer: expect.any(String) })
  })

  test('behavior: content blocks are flattened, the blocks kept; images become data URIs', async () => {
    const image = await startTestServer((_, response) => {
      response.writeHead(200, { 'content-type': 'image/png' })
      response.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]))
    })
    const blocks = [
      { type: 'thinking', thinking: '…' },
      { type: 'text', text: ' Hello' },
      { type: 'text', text: 'world ' },
    ]
    const server = await startTestServer((_, response) =>
      json(
        response,
        200,
        {
          choices: [
            {
              index: 0,
              finish_reason: 'stop',
              message: {
                role: 'assistant',
                content: blocks,
                images: ['data:image/gif;base64,R0lG', `${image.url}/pic`],
              },
            },
          ],
          tee_timestamp: '2026-03-01T00:00:00Z',
        },
        { 'x-settlement-tx-hash': '0xfeed', 'x-settlement-walrus-blob-id': 'blob-1' },
      ),
    )
    const reply = await chat(createLlmClient({ baseUrl: server.url }), {
      model: 'google/gemini-3-flash-preview',
      messages,
    })
    expect(reply.message).toEqual({
      role: 'assistant',
      content: 'Hello world',
      rawContent: blocks,
      toolCalls: [],
      images: ['data:image/gif;base64,R0lG', 'data:image/png;base64,iVBORw=='],
    })
    expect(reply.tee.timestamp).toBe(1772323200)
    expect(reply.settlement).toMatchObject({ transactionHash: '0xfeed', blobId: 'blob-1' })
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      model: 'gemini-3-flash-preview',
      messages,
      max_tokens: 100,
      temperature: 0,
    })
  })

  test('behavior: the wire body has only what was given', async () => {
    const server = await startTestServer((_, response) =>
      json(response, 200, { choices: [{ message: { content: 'x' }, finish_reason: 'stop' }] }),
    )
    const client = createLlmClient({ baseUrl: server.url })
    await chat(client, {
      model: 'openai/gpt-5',
      messages,
      stop: ['END'],
      tools: [weatherTool],
      responseFormat: {
        type: 'json_schema',
        jsonSchema: { name: 'p', schema: { type: 'object' } },
      },
      webSearch: true,
    })
    await chat(client, { model: 'openai/gpt-5', messages, tools: [], toolChoice: 'required' })
    const [first, second] = server.requests.map((request) => JSON.parse(request.body))
    expect(first).toEqual({
      model: 'gpt-5',
      messages,
      max_tokens: 100,
      temperature: 0,
      stop: ['END'],
      tools: [weatherTool],
      tool_choice: 'auto',
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'p', schema: { type: 'object' } },
      },
      web_search: true,
    })
    expect(second).toEqual({ model: 'gpt-5', messages, max_tokens: 100, temperature: 0 })
  })

  test('error: bad parameters', async () => {
    const client = devnetLlmClient()
    await expect(chat(client, { model: 'tiny', messages })).rejects.toThrow(
      'The model id "tiny" has no provider prefix',
    )
    await expect(
      chat(client, {
        model: 'anthropic/claude-haiku-4-5',
        messages,
        responseFormat: { type: 'json_object' },
      }),
    ).rejects.toThrow("Anthropic models do not support response_format type 'json_object'.")
    await expect(
      chat(client, {
        model: 'devnet/tiny',
        messages,
        responseFormat: { type: 'json_schema' } as never,
      }),
    ).rejects.toThrow('"responseFormat.jsonSchema" with a "schema" object is required')
    await expect(chat(client, { model: 'devnet/tiny', messages, maxTokens: 0 })).rejects.toThrow(
      '"maxTokens" must be a positive integer, got 0.',
    )
  })

  test('error: the gateway refuses the model', async () => {
    const error = await chat(devnetLlmClient(), { model: 'devnet/nothing', messages }).catch(
      (error) => error,
    )
    expect(error.name).toBe('HttpError')
    expect(error.status).toBe(400)
    expect(error.detail).toBe('Model not supported: Unknown model "nothing".')
  })

  test('error: an answer without choices', async () => {
    const server = await startTestServer((_, response) => json(response, 200, { choices: [] }))
    const error = await chat(createLlmClient({ baseUrl: server.url }), {
      model: 'openai/gpt-5',
      messages,
    }).catch((error) => error)
    expect(error.name).toBe('InvalidResponseError')
    expect(error.shortMessage).toBe("The LLM gateway's chat answer has no choices.")
    expect(error.body).toEqual({ choices: [] })
  })
})
