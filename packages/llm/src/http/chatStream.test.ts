import { StreamError } from '@opengradient/core'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { devnetLlmClient, sse, startTestServer } from '../../test/servers.js'
import { chat } from '../actions/chat.js'
import { createLlmClient } from '../client/createLlmClient.js'
import type { ChatStreamChunk } from '../types.js'

const messages = [{ role: 'user', content: 'Tell me about the weather.' }]
const script = (replies: unknown[]) => ({ 'x-devnet-llm-script': JSON.stringify({ replies }) })

async function collect(stream: AsyncIterable<ChatStreamChunk>): Promise<ChatStreamChunk[]> {
  const chunks: ChatStreamChunk[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

/** A client whose `fetch` answers with the given bytes, delivered in the given pieces. */
function replayClient(pieces: readonly Uint8Array[]) {
  return createLlmClient({
    baseUrl: 'http://gateway.test',
    fetch: async () =>
      new Response(
        new ReadableStream({
          start(controller) {
            for (const piece of pieces) controller.enqueue(piece)
            controller.close()
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      ),
  })
}

const event = (data: unknown) =>
  `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`
const contentEvent = (content: string) =>
  event({ choices: [{ delta: { content }, index: 0, finish_reason: null }], model: 'm' })

describe('chat (stream)', () => {
  test('default', async () => {
    const stream = await chat(devnetLlmClient(), { model: 'devnet/tiny', messages, stream: true })
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream')
    const chunks = await collect(stream)
    expect(chunks.map((chunk) => chunk.delta.content ?? '')).toEqual([
      'The',
      ' weather',
      ' is',
      ' mild',
      ' today',
      '.',
      '',
    ])
    expect(chunks.slice(0, -1).every((chunk) => !chunk.isFinal)).toBe(true)
    const final = chunks.at(-1)!
    expect(final).toMatchObject({
      isFinal: true,
      finishReason: 'stop',
      model: 'tiny',
      usage: { promptTokens: 6, completionTokens: 6, totalTokens: 12 },
      message: { role: 'assistant', content: 'The weather is mild today.', toolCalls: [] },
      tee: {
        signature: expect.any(String),
        timestamp: expect.any(Number),
        requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        outputHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        teeId: expect.stringMatching(/^0x/),
      },
      settlement: { mode: 'batch' },
    })
  })

  test('behavior: a recorded stream split at every byte gives the same chunks', async () => {
    const content = 'Ünïcödé 😀 text ✓ — done'
    const response = await fetch(`${testDevnet().rpcUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-devnet-llm-script': Buffer.from(JSON.stringify({ replies: [{ content }] })).toString(
          'base64',
        ),
      },
      body: JSON.stringify({ model: 'script', messages, stream: true }),
    })
    // The gateway writes ASCII JSON; rewritten with raw UTF-8 and CRLF line ends, the pieces
    // also split inside multi-byte characters and between CR and LF.
    const recorded = await response.text()
    const text = recorded
      .split('\n\n')
      .filter(Boolean)
      .map((line) => {
        const payload = line.slice('data: '.length)
        return `data: ${payload === '[DONE]' ? payload : JSON.stringify(JSON.parse(payload))}\r\n\r\n`
      })
      .join('')
    const bytes = new TextEncoder().encode(text)
    expect(bytes.length).toBeGreaterThan(text.length)
    const strip = (chunks: ChatStreamChunk[]) =>
      chunks.map(({ tee, settlement, ...chunk }) => chunk)
    const parameters = { model: 'a/b', messages, stream: true } as const
    const expected = strip(await collect(await chat(replayClient([bytes]), parameters)))
    expect(expected.at(-1)?.message?.content).toBe(content)
    for (let cut = 1; cut < bytes.length; cut++) {
      const client = replayClient([bytes.subarray(0, cut), bytes.subarray(cut)])
      expect(strip(await collect(await chat(client, parameters))), `cut at ${cut}`).toEqual(
        expected,
      )
    }
    const byteByByte = replayClient(Array.from(bytes, (byte) => Uint8Array.of(byte)))
    expect(strip(await collect(await chat(byteByByte, parameters)))).toEqual(expected)
  })

  test('behavior: tool-call deltas are assembled', async () => {
    const replies = [
      {
        content: 'Let me check.',
        toolCalls: [
          { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } },
          { id: 'call_2', name: 'get_time', arguments: { zone: 'CET' } },
        ],
        toolCallStreaming: 'fragments',
      },
    ]
    const tools = [
      { type: 'function' as const, function: { name: 'get_weather' } },
      { type: 'function' as const, function: { name: 'get_time' } },
    ]
    const stream = await chat(devnetLlmClient(), {
      model: 'devnet/script',
      messages,
      tools,
      stream: true,
      toolStreamingFallback: false,
      headers: script(replies),
    })
    const chunks = await collect(stream)
    expect(chunks.length).toBeGreaterThan(4)
    expect(chunks.flatMap((chunk) => chunk.delta.toolCalls ?? []).length).toBeGreaterThan(2)
    const toolCalls = [
      {
        id: 'call_1',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city": "Paris"}' },
      },
      {
        id: 'call_2',
        type: 'function',
        function: { name: 'get_time', arguments: '{"zone": "CET"}' },
      },
    ]
    expect(chunks.at(-1)).toMatchObject({
      isFinal: true,
      finishReason: 'tool_calls',
      toolCalls,
      message: { content: 'Let me check.', toolCalls },
    })

    // With the fallback (the default), one plain request and one final chunk.
    const fallback = await collect(
      await chat(devnetLlmClient(), {
        model: 'devnet/script',
        messages,
        tools,
        stream: true,
        headers: script(replies),
      }),
    )
    expect(fallback).toHaveLength(1)
    expect(fallback[0]).toMatchObject({ isFinal: true, finishReason: 'tool_calls', toolCalls })
    expect(fallback[0]?.delta.toolCalls?.map((call) => call.index)).toEqual([0, 1])
  })

  test('behavior: structured output streams', async () => {
    const stream = await chat(devnetLlmClient(), {
      model: 'devnet/tiny',
      messages,
      responseFormat: {
        type: 'json_schema',
        jsonSchema: {
          name: 'r',
          schema: { type: 'object', properties: { text: { type: 'string' } } },
        },
      },
      stream: true,
    })
    const chunks = await collect(stream)
    expect(chunks.length).toBeGreaterThan(2)
    expect(JSON.parse(chunks.at(-1)?.message?.content ?? '')).toEqual({ text: expect.any(String) })
  })

  test('behavior: stop sequences', async () => {
    const chunks = await collect(
      await chat(devnetLlmClient(), {
        model: 'devnet/tiny',
        messages,
        stop: [' mild'],
        stream: true,
      }),
    )
    expect(chunks.at(-1)?.message?.content).toBe('The weather is')
  })

  test('behavior: leaving the loop closes the connection', async () => {
    const client = devnetLlmClient()
    const stream = await chat(client, {
      model: 'devnet/script',
      messages,
      stream: true,
      headers: script([{ content: 'word '.repeat(500), chunkDelayMs: 2 }]),
    })
    const requestId = stream.response.headers.get('x-request-id')
    let received = 0
    for await (const chunk of stream) {
      if (chunk.delta.content) received++
      if (received === 3) break
    }
    let record: { state: string; chunksSent: number } | undefined
    for (let attempt = 0; attempt < 200; attempt++) {
      record = await (await fetch(`${client.baseUrl}/devnet/llm/requests/${requestId}`)).json()
      if (record?.state !== 'running') break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(record?.state).toBe('aborted')
    expect(record?.chunksSent).toBeLessThan(500)
  })

  test('behavior: abort() and the signal stop the stream', async () => {
    const headers = script([{ content: 'word '.repeat(200), chunkDelayMs: 2 }])
    const stream = await chat(devnetLlmClient(), {
      model: 'devnet/script',
      messages,
      stream: true,
      headers,
    })
    const chunks: ChatStreamChunk[] = []
    for await (const chunk of stream) {
      chunks.push(chunk)
      if (chunks.length === 2) stream.abort()
    }
    expect(chunks.length).toBeLessThan(10)

    const controller = new AbortController()
    const signalled = await chat(devnetLlmClient(), {
      model: 'devnet/script',
      messages,
      stream: true,
      headers,
      signal: controller.signal,
    })
    const error = await (async () => {
      for await (const _ of signalled) controller.abort(new Error('enough'))
    })().catch((error) => error)
    expect(error.message).toBe('enough')
  })

  test('behavior: final chunks are merged, never replaced', async () => {
    const client = replayClient([
      new TextEncoder().encode(
        contentEvent('Hello') +
          event({
            choices: [{ delta: { content: '!' }, index: 0, finish_reason: 'stop' }],
            model: 'm',
            tee_signature: 'c2ln',
          }) +
          event({
            choices: [],
            model: 'm',
            usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
            tee_id: '0x01',
          }) +
          event('[DONE]'),
      ),
    ])
    const chunks = await collect(await chat(client, { model: 'a/b', messages, stream: true }))
    expect(chunks).toHaveLength(2)
    expect(chunks[1]).toMatchObject({
      isFinal: true,
      finishReason: 'stop',
      delta: { content: '!' },
      usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 },
      tee: { signature: 'c2ln', teeId: '0x01' },
      message: { content: 'Hello!' },
    })
  })

  test('behavior: `message` in place of `delta`, usage null on every chunk', async () => {
    const client = replayClient([
      new TextEncoder().encode(
        event({
          choices: [{ message: { content: 'A' }, index: 0, finish_reason: null }],
          usage: null,
        }) +
          event({ choices: [{ delta: {}, index: 0, finish_reason: 'stop' }], usage: null }) +
          event('[DONE]'),
      ),
    ])
    const chunks = await collect(await chat(client, { model: 'a/b', messages, stream: true }))
    expect(chunks.map((chunk) => [chunk.delta.content, chunk.isFinal])).toEqual([
      ['A', false],
      [undefined, true],
    ])
  })

  test('error: an error event mid-stream', async () => {
    const stream = await chat(devnetLlmClient(), {
      model: 'devnet/tiny',
      messages,
      stream: true,
      headers: { 'x-devnet-llm-fault': 'stream-error:2' },
    })
    const received: string[] = []
    const error = await (async () => {
      for await (const chunk of stream) received.push(chunk.delta.content ?? '')
    })().catch((error) => error)
    expect(received).toEqual(['The', ' weather'])
    expect(error).toBeInstanceOf(StreamError)
    expect(error.shortMessage).toBe(
      'The LLM gateway reported an error in the stream: "Stream processing failed".',
    )
    expect(error.event).toEqual({ error: 'Stream processing failed' })
    expect(error.chunksReceived).toBe(2)
  })

  test('error: a stream that ends before its final chunk', async () => {
    const cut = replayClient([new TextEncoder().encode(contentEvent('Hel'))])
    const error = await collect(await chat(cut, { model: 'a/b', messages, stream: true })).catch(
      (error) => error,
    )
    expect(error.name).toBe('StreamError')
    expect(error.shortMessage).toBe('The stream ended before its final chunk.')

    const doneOnly = replayClient([new TextEncoder().encode(contentEvent('Hel') + event('[DONE]'))])
    await expect(
      collect(await chat(doneOnly, { model: 'a/b', messages, stream: true })),
    ).rejects.toThrow('The stream ended with [DONE] but without a final chunk.')

    // A final chunk without [DONE] is a complete reply.
    const noDone = replayClient([
      new TextEncoder().encode(
        contentEvent('Hi') + event({ choices: [{ delta: {}, index: 0, finish_reason: 'stop' }] }),
      ),
    ])
    const chunks = await collect(await chat(noDone, { model: 'a/b', messages, stream: true }))
    expect(chunks.at(-1)?.message?.content).toBe('Hi')
  })

  test('error: an HTTP error before the stream starts', async () => {
    const server = await startTestServer((_, response) => {
      response.writeHead(500, { 'content-type': 'application/json' })
      response.end('{"error": "Stream setup failed"}')
    })
    const error = await chat(createLlmClient({ baseUrl: server.url }), {
      model: 'a/b',
      messages,
      stream: true,
    }).catch((error) => error)
    expect(error.name).toBe('HttpError')
    expect(error.detail).toBe('Stream setup failed')
  })

  test('error: a stream is iterated once', async () => {
    const server = await startTestServer((_, response) =>
      sse(response, [
        contentEvent('x'),
        event({ choices: [{ delta: {}, finish_reason: 'stop' }] }),
      ]),
    )
    const stream = await chat(createLlmClient({ baseUrl: server.url }), {
      model: 'a/b',
      messages,
      stream: true,
    })
    await collect(stream)
    expect(() => stream[Symbol.asyncIterator]()).toThrow('A chat stream can be iterated only once.')
  })
})
