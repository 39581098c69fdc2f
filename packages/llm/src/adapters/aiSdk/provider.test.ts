import { generateObject, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai'
import { describe, expect, test } from 'vitest'
import { devnetLlmClient } from '../../../test/servers.js'
import { createOpenGradient } from './provider.js'

const weatherScript = {
  'x-devnet-llm-script': JSON.stringify({
    replies: [
      { when: { lastRole: 'tool' }, content: 'Sunny in Paris, 24 degrees.' },
      { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
    ],
  }),
}

describe('createOpenGradient', () => {
  test('default', async () => {
    const client = devnetLlmClient()
    const opengradient = createOpenGradient({ client })
    expect(opengradient.client).toBe(client)
    const model = opengradient('devnet/tiny')
    expect(model).toMatchObject({
      specificationVersion: 'v3',
      provider: 'opengradient',
      modelId: 'devnet/tiny',
    })
    expect(opengradient.languageModel('devnet/tiny').modelId).toBe('devnet/tiny')

    const result = await generateText({ model, prompt: 'Tell me about the weather.' })
    expect(result.text).toBe('The weather is mild today.')
    expect(result.finishReason).toBe('stop')
    expect(result.usage).toMatchObject({ inputTokens: 6, outputTokens: 6 })
    expect(result.providerMetadata?.opengradient).toMatchObject({
      tee: {
        signature: expect.any(String),
        requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        outputHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        teeId: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      },
      settlement: { mode: 'batch' },
    })
  })

  test('args: client config, maxOutputTokens and providerOptions.opengradient.settlementMode', async () => {
    const seen: string[] = []
    const base = devnetLlmClient()
    const opengradient = createOpenGradient({
      baseUrl: base.baseUrl,
      onResponse: (response) => {
        seen.push(response.headers.get('x-settlement-type') ?? '')
      },
    })
    const result = await generateText({
      model: opengradient('devnet/tiny'),
      prompt: 'Tell me about the weather.',
      maxOutputTokens: 2,
      providerOptions: { opengradient: { settlementMode: 'private' } },
    })
    expect(result.text).toBe('The weather')
    expect(result.finishReason).toBe('length')
    expect(result.providerMetadata?.opengradient?.settlement).toMatchObject({ mode: 'private' })
    expect(seen).toEqual(['private'])
  })

  test('behavior: streamText', async () => {
    const opengradient = createOpenGradient({ client: devnetLlmClient() })
    const result = streamText({
      model: opengradient('devnet/tiny'),
      prompt: 'Tell me about the weather.',
    })
    const pieces: string[] = []
    for await (const piece of result.textStream) pieces.push(piece)
    expect(pieces.length).toBeGreaterThan(1)
    expect(pieces.join('')).toBe('The weather is mild today.')
    expect(await result.finishReason).toBe('stop')
    expect((await result.providerMetadata)?.opengradient).toMatchObject({
      tee: { signature: expect.any(String) },
    })
  })

  test('behavior: a tool round trip with generateText', async () => {
    const opengradient = createOpenGradient({ client: devnetLlmClient() })
    const cities: string[] = []
    const result = await generateText({
      model: opengradient('devnet/script'),
      prompt: 'Weather in Paris?',
      headers: weatherScript,
      tools: {
        get_weather: tool({
          description: 'The weather in a city',
          inputSchema: jsonSchema<{ city: string }>({
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          }),
          execute: async ({ city }) => {
            cities.push(city)
            return { city, sky: 'sunny', degrees: 24 }
          },
        }),
      },
      stopWhen: stepCountIs(3),
    })
    expect(cities).toEqual(['Paris'])
    expect(result.steps).toHaveLength(2)
    expect(result.steps[0]?.toolCalls).toMatchObject([
      { toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } },
    ])
    expect(result.text).toBe('Sunny in Paris, 24 degrees.')
  })

  test('behavior: a tool call with streamText', async () => {
    const opengradient = createOpenGradient({ client: devnetLlmClient() })
    const result = streamText({
      model: opengradient('devnet/script'),
      prompt: 'Weather in Paris?',
      headers: weatherScript,
      tools: {
        get_weather: tool({
          inputSchema: jsonSchema<{ city: string }>({
            type: 'object',
            properties: { city: { type: 'string' } },
          }),
          execute: async ({ city }) => `Sunny in ${city}`,
        }),
      },
      stopWhen: stepCountIs(3),
    })
    expect(await result.text).toBe('Sunny in Paris, 24 degrees.')
    const steps = await result.steps
    expect(steps[0]?.toolResults).toMatchObject([
      { toolName: 'get_weather', output: 'Sunny in Paris' },
    ])
  })

  test('behavior: generateObject with a JSON schema', async () => {
    const opengradient = createOpenGradient({ client: devnetLlmClient() })
    const { object } = await generateObject({
      model: opengradient('devnet/tiny'),
      prompt: 'Describe the weather.',
      schema: jsonSchema<{ sky: string; degrees: number }>({
        type: 'object',
        properties: { sky: { type: 'string' }, degrees: { type: 'number' } },
        required: ['sky', 'degrees'],
        additionalProperties: false,
      }),
    })
    expect(object).toEqual({ sky: expect.any(String), degrees: expect.any(Number) })
  })

  test('error: a model id without a provider prefix', () => {
    const opengradient = createOpenGradient({ client: devnetLlmClient() })
    expect(() => opengradient('tiny')).toThrow('has no provider prefix')
    expect(() => opengradient.embeddingModel('devnet/tiny')).toThrow('has no embedding models')
  })

  test('error: a gateway error reaches the caller', async () => {
    const opengradient = createOpenGradient({ client: devnetLlmClient({ retryCount: 0 }) })
    await expect(
      generateText({
        model: opengradient('devnet/script'),
        prompt: 'Hi',
        maxRetries: 0,
        headers: {
          'x-devnet-llm-script': JSON.stringify({
            replies: [{ error: { status: 400, message: 'Nope' } }],
          }),
        },
      }),
    ).rejects.toMatchObject({ name: 'HttpError' })
  })
})
