import { constants, createPublicKey, verify } from 'node:crypto'
import { canonicalTeeRequest, teeOutputText } from '@opengradient/llm'
import { concat, hexToBytes, keccak256, numberToHex, stringToBytes } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sseData, startTestGateway, type TestGateway } from '../../test/llmGateway.js'
import { llmRequestRecordsPath } from './gateway.js'
import type { LlmScript } from './types.js'

let gateway: TestGateway

beforeAll(async () => {
  gateway = await startTestGateway({
    models: {
      'acme/scripted': { backend: 'script', script: { replies: [{ content: 'Configured.' }] } },
    },
  })
})

afterAll(() => gateway.close())

const weather = [{ role: 'user', content: 'Tell me about the weather.' }]

function withScript(script: LlmScript): Record<string, string> {
  return { 'x-devnet-llm-script': JSON.stringify(script) }
}

/**
 * Checks the TEE hashes against the request sent and the output, and returns the message hash
 * the signature covers.
 */
function expectValidTee(
  body: Record<string, unknown>,
  request: string,
  output: Parameters<typeof teeOutputText>[0],
): `0x${string}` {
  const requestHash = keccak256(
    stringToBytes(canonicalTeeRequest({ endpoint: output.endpoint, body: request })),
  )
  const outputHash = keccak256(stringToBytes(teeOutputText(output)))
  expect(body.tee_request_hash).toBe(requestHash.slice(2))
  expect(body.tee_output_hash).toBe(outputHash.slice(2))
  expect(Number.isInteger(body.tee_timestamp)).toBe(true)
  return keccak256(
    concat([requestHash, outputHash, numberToHex(body.tee_timestamp as number, { size: 32 })]),
  )
}

/** Verifies `tee_signature` (RSA-PSS, SHA-256, salt 32) with the gateway's key and its `tee_id`. */
async function verifySignature(body: Record<string, unknown>, messageHash: `0x${string}`) {
  const { publicKeyDer, teeId } = await gateway.service.signer()
  expect(body.tee_id).toBe(teeId)
  expect(keccak256(publicKeyDer)).toBe(teeId)
  return verify(
    'sha256',
    hexToBytes(messageHash),
    {
      key: createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' }),
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    },
    Buffer.from(body.tee_signature as string, 'base64'),
  )
}

describe('POST /v1/chat/completions', () => {
  test('default', async () => {
    const request = JSON.stringify({ model: 'tiny', messages: weather, max_tokens: 30 })
    const response = await gateway.post('/v1/chat/completions', request, {
      'x-settlement-type': 'settle-metadata',
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-settlement-type')).toBe('individual')
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const text = await response.text()
    expect(text).toContain('"object": "chat.completion"')
    const body = JSON.parse(text)
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'tiny',
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: { role: 'assistant', content: 'The weather is mild today.' },
        },
      ],
      usage: { prompt_tokens: 6, completion_tokens: 6, total_tokens: 12 },
    })
    expect(body.id).toMatch(/^chatcmpl-/)
    const messageHash = expectValidTee(body, request, {
      endpoint: 'chat',
      finishReason: 'stop',
      content: 'The weather is mild today.',
    })
    expect(await verifySignature(body, messageHash)).toBe(true)
  })

  test('behavior: the same request gives the same reply', async () => {
    const body = {
      model: 'tiny',
      messages: [{ role: 'user', content: 'The baker' }],
      max_tokens: 20,
    }
    const first = await (await gateway.post('/v1/chat/completions', body)).json()
    const second = await (await gateway.post('/v1/chat/completions', body)).json()
    expect(first.choices[0].message.content).toBe(second.choices[0].message.content)
    expect(first.choices[0].message.content).toMatch(/^The baker /)
  })

  test('args: max_tokens ends the reply with "length"', async () => {
    const body = await (
      await gateway.post('/v1/chat/completions', {
        model: 'tiny',
        messages: weather,
        max_tokens: 3,
      })
    ).json()
    expect(body.choices[0]).toMatchObject({
      finish_reason: 'length',
      message: { content: 'The weather is' },
    })
    expect(body.usage.completion_tokens).toBe(3)
  })

  test('args: stop ends the reply before the sequence', async () => {
    const body = await (
      await gateway.post('/v1/chat/completions', {
        model: 'tiny',
        messages: weather,
        stop: [' mild'],
      })
    ).json()
    expect(body.choices[0]).toMatchObject({
      finish_reason: 'stop',
      message: { content: 'The weather is' },
    })
  })

  test('args: temperature samples, the seed makes it repeatable', async () => {
    const request = { model: 'tiny', messages: weather, max_tokens: 25, temperature: 1.5, seed: 7 }
    const first = await (await gateway.post('/v1/chat/completions', request)).json()
    const second = await (await gateway.post('/v1/chat/completions', request)).json()
    expect(first.choices[0].message.content).toBe(second.choices[0].message.content)
  })

  test('args: a scripted model answers from its configured script', async () => {
    const body = await (
      await gateway.post('/v1/chat/completions', { model: 'scripted', messages: weather })
    ).json()
    expect(body.choices[0].message.content).toBe('Configured.')
  })

  test('behavior: the script backend echoes without a script', async () => {
    const body = await (
      await gateway.post('/v1/chat/completions', { model: 'script', messages: weather })
    ).json()
    expect(body.choices[0].message.content).toBe('You said: Tell me about the weather.')
  })

  test('behavior: scripted tool calls', async () => {
    const request = JSON.stringify({
      model: 'script',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
      ],
      tool_choice: 'auto',
    })
    const response = await gateway.post(
      '/v1/chat/completions',
      request,
      withScript({
        replies: [
          { when: { lastRole: 'tool' }, content: 'It is sunny.' },
          {
            when: { hasTools: true },
            toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
          },
        ],
      }),
    )
    const body = await response.json()
    const toolCalls = [
      {
        id: 'call_1',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city": "Paris"}' },
      },
    ]
    expect(body.choices[0]).toEqual({
      index: 0,
      finish_reason: 'tool_calls',
      message: { role: 'assistant', content: null, tool_calls: toolCalls },
    })
    expectValidTee(body, request, {
      endpoint: 'chat',
      finishReason: 'tool_calls',
      content: null,
      toolCalls,
    })
  })

  test('behavior: json_schema output is generated by the tiny model and valid', async () => {
    const schema = {
      type: 'object',
      properties: {
        city: { type: 'string' },
        temperature: { type: 'integer', minimum: -30, maximum: 45 },
        sunny: { type: 'boolean' },
        tags: { type: 'array', items: { enum: ['warm', 'cold'] } },
      },
      required: ['city', 'temperature', 'sunny', 'tags'],
      additionalProperties: false,
    }
    const body = await (
      await gateway.post('/v1/chat/completions', {
        model: 'tiny',
        messages: weather,
        response_format: { type: 'json_schema', json_schema: { name: 'report', schema } },
      })
    ).json()
    const value = JSON.parse(body.choices[0].message.content)
    expect(value).toMatchObject({ temperature: 42, sunny: true, tags: ['warm'] })
    expect(typeof value.city).toBe('string')
  })

  test('error: a reply that breaks the schema', async () => {
    const response = await gateway.post(
      '/v1/chat/completions',
      {
        model: 'script',
        messages: weather,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'x', schema: { type: 'object', required: ['city'] } },
        },
      },
      withScript({ replies: [{ content: '{"town": "Paris"}' }] }),
    )
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({
      error: 'Structured output failed',
      message: 'The reply does not match the schema: $ missing required property "city".',
    })
  })

  test('error: json_object that is not an object', async () => {
    const response = await gateway.post(
      '/v1/chat/completions',
      { model: 'script', messages: weather, response_format: { type: 'json_object' } },
      withScript({ replies: [{ content: 'not json' }] }),
    )
    expect(response.status).toBe(500)
  })

  test('error: unknown and prefixed models, bad bodies', async () => {
    const unknown = await gateway.post('/v1/chat/completions', { model: 'nope', messages: weather })
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toEqual({
      error: 'Model not supported',
      message: 'Unknown model "nope".',
    })
    const prefixed = await gateway.post('/v1/chat/completions', {
      model: 'devnet/tiny',
      messages: weather,
    })
    expect(await prefixed.json()).toEqual({
      error: 'Model not supported',
      message: '"devnet/tiny" still carries its provider prefix; send "tiny".',
    })
    const notJson = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    })
    expect(notJson.status).toBe(415)
    expect(await notJson.json()).toEqual({
      error: 'Unsupported Media Type',
      message: 'Request must be application/json',
    })
    const badRole = await gateway.post('/v1/chat/completions', {
      model: 'tiny',
      messages: [{ role: 'wizard', content: 'hi' }],
    })
    expect(badRole.status).toBe(400)
    const badSettlement = await gateway.post(
      '/v1/chat/completions',
      { model: 'tiny', messages: weather },
      { 'x-settlement-type': 'later' },
    )
    expect(badSettlement.status).toBe(400)
  })

  test('error: a scripted HTTP error', async () => {
    const response = await gateway.post(
      '/v1/chat/completions',
      { model: 'script', messages: weather },
      withScript({ replies: [{ error: { status: 429, message: 'Slow down' } }] }),
    )
    expect(response.status).toBe(429)
    expect(await response.json()).toEqual({ error: 'Slow down' })
  })
})

describe('POST /v1/chat/completions (stream)', () => {
  test('default', async () => {
    const request = JSON.stringify({ model: 'tiny', messages: weather, stream: true })
    const response = await gateway.post('/v1/chat/completions', request)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    const events = sseData(await response.text())
    expect(events.at(-1)).toBe('[DONE]')
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data))
    expect(chunks.slice(0, 2)).toEqual([
      {
        choices: [{ delta: { content: 'The', role: 'assistant' }, index: 0, finish_reason: null }],
        model: 'tiny',
      },
      {
        choices: [
          { delta: { content: ' weather', role: 'assistant' }, index: 0, finish_reason: null },
        ],
        model: 'tiny',
      },
    ])
    const final = chunks.at(-1)
    expect(final).toMatchObject({
      choices: [{ delta: {}, index: 0, finish_reason: 'stop' }],
      usage: { prompt_tokens: 6, completion_tokens: 6, total_tokens: 12 },
    })
    const content = chunks
      .slice(0, -1)
      .map((chunk) => chunk.choices[0].delta.content)
      .join('')
    expect(content).toBe('The weather is mild today.')
    const messageHash = expectValidTee(final, request, {
      endpoint: 'chat',
      finishReason: 'stop',
      content,
    })
    expect(await verifySignature(final, messageHash)).toBe(true)
  })

  test('behavior: tool calls stream as fragments', async () => {
    const response = await gateway.post(
      '/v1/chat/completions',
      {
        model: 'script',
        messages: weather,
        tools: [{ type: 'function', function: { name: 'get_weather' } }],
        stream: true,
      },
      withScript({
        replies: [
          {
            content: 'Checking.',
            toolCalls: [{ id: 'call_a', name: 'get_weather', arguments: { city: 'Paris' } }],
            toolCallStreaming: 'fragments',
          },
        ],
      }),
    )
    const chunks = sseData(await response.text())
      .slice(0, -1)
      .map((data) => JSON.parse(data))
    const deltas = chunks.flatMap((chunk) => chunk.choices[0].delta.tool_calls ?? [])
    expect(deltas[0]).toEqual({
      index: 0,
      id: 'call_a',
      type: 'function',
      function: { name: 'get_weather' },
    })
    expect(
      deltas
        .slice(1)
        .map((delta) => delta.function.arguments)
        .join(''),
    ).toBe('{"city": "Paris"}')
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls')
  })

  test('behavior: the fault switch sends an error event and no [DONE]', async () => {
    const response = await gateway.post(
      '/v1/chat/completions',
      { model: 'tiny', messages: weather, stream: true },
      { 'x-devnet-llm-fault': 'stream-error:2' },
    )
    const events = sseData(await response.text())
    expect(events).toHaveLength(3)
    expect(JSON.parse(events[2]!)).toEqual({ error: 'Stream processing failed' })
    const record = await (
      await fetch(`${gateway.url}${llmRequestRecordsPath}${response.headers.get('x-request-id')}`)
    ).json()
    expect(record).toMatchObject({ state: 'failed', chunksSent: 2 })
  })

  test('behavior: a schema failure at the end is an error event', async () => {
    const response = await gateway.post(
      '/v1/chat/completions',
      {
        model: 'script',
        messages: weather,
        stream: true,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'x', schema: { type: 'array' } },
        },
      },
      withScript({ replies: [{ content: ['{"a"', ': 1}'] }] }),
    )
    const events = sseData(await response.text())
    expect(events.at(-1)).toBe('{"error": "Structured output failed"}')
  })

  test('behavior: a client that goes away stops the generation', async () => {
    const controller = new AbortController()
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...withScript({ replies: [{ content: 'word '.repeat(200), chunkDelayMs: 5 }] }),
      },
      body: JSON.stringify({ model: 'script', messages: weather, stream: true }),
      signal: controller.signal,
    })
    const reader = response.body!.getReader()
    await reader.read()
    controller.abort()
    const url = `${gateway.url}${llmRequestRecordsPath}${response.headers.get('x-request-id')}`
    let record: { state: string; chunksSent: number } | undefined
    for (let attempt = 0; attempt < 100; attempt++) {
      record = await (await fetch(url)).json()
      if (record?.state !== 'running') break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(record?.state).toBe('aborted')
    expect(record?.chunksSent).toBeLessThan(200)
  })
})

describe('POST /v1/completions', () => {
  test('default', async () => {
    const request = JSON.stringify({
      model: 'tiny',
      prompt: 'The baker',
      max_tokens: 30,
      stop: ['.'],
    })
    const body = await (await gateway.post('/v1/completions', request)).json()
    expect(body).toMatchObject({
      object: 'text_completion',
      model: 'tiny',
      choices: [{ index: 0, finish_reason: 'stop' }],
    })
    expect(body.completion).toBe(body.choices[0].text)
    expect(body.completion.length).toBeGreaterThan(0)
    expect(body.completion).not.toContain('.')
    expectValidTee(body, request, { endpoint: 'completion', text: body.completion })
  })

  test('behavior: streams text chunks', async () => {
    const response = await gateway.post('/v1/completions', {
      model: 'tiny',
      prompt: 'The river',
      max_tokens: 4,
      stream: true,
    })
    const events = sseData(await response.text())
    expect(events).toHaveLength(6)
    expect(JSON.parse(events[4]!).choices[0].finish_reason).toBe('length')
  })
})

describe('GET /v1/models', () => {
  test('default', async () => {
    const body = await (await fetch(`${gateway.url}/v1/models`)).json()
    const ids = body.data.map((model: { id: string }) => model.id)
    expect(ids).toContain('devnet/tiny')
    expect(ids).toContain('devnet/script')
    expect(ids).toContain('acme/scripted')
    expect(ids).toContain('anthropic/claude-haiku-4-5')
    expect(ids).toContain('meta-llama/Meta-Llama-3-8B-Instruct')
  })
})

describe('on-chain runner', () => {
  test('default', async () => {
    const { runner } = gateway.service.gateway
    expect(
      await runner.completion({
        mode: 0,
        modelCID: 'meta-llama/Meta-Llama-3-8B-Instruct',
        prompt: 'The river',
        max_tokens: 3,
        stop_sequence: [],
        temperature: 0,
      }),
    ).toEqual({ answer: ' is a small' })
    expect(
      await runner.chat({
        mode: 0,
        modelCID: 'devnet/script',
        messages: [{ role: 'user', content: 'Hi', name: '', tool_call_id: '', tool_calls: [] }],
        tools: [],
        tool_choice: '',
        max_tokens: 100,
        stop_sequence: [],
        temperature: 0,
      }),
    ).toEqual({
      finish_reason: 'stop',
      message: {
        role: 'assistant',
        content: 'You said: Hi',
        name: '',
        tool_call_id: '',
        tool_calls: [],
      },
    })
  })
})
