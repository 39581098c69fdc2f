import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sseData, startTestGateway, type TestGateway } from '../../../test/llmGateway.js'
import { readBody } from '../../front/server.js'

type Seen = { path: string; authorization: string | undefined; body: Record<string, unknown> }

let upstream: Server
let seen: Seen[] = []
let gateway: TestGateway

/** A small OpenAI-compatible server: fixed answers, every request recorded. */
async function answer(request: IncomingMessage, body: Record<string, unknown>) {
  const path = request.url ?? ''
  seen.push({ path, authorization: request.headers.authorization, body })
  if (body.model === 'missing')
    return { status: 404, text: '{"error": {"message": "no such model"}}' }
  if (path === '/v1/completions') {
    return {
      status: 200,
      text: JSON.stringify({
        choices: [{ text: ' upstream text', index: 0, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
      }),
    }
  }
  if (body.stream) {
    const chunk = (delta: unknown, finish: string | null = null) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }], usage: null })}\n\n`
    return {
      status: 200,
      sse: [
        chunk({ role: 'assistant', content: 'Hel' }),
        chunk({ content: 'lo' }),
        chunk({
          tool_calls: [
            { index: 0, id: 'call_u', type: 'function', function: { name: 'f', arguments: '' } },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a": 1}' } }] }),
        chunk({}, 'tool_calls'),
        `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 4, completion_tokens: 3 } })}\n\n`,
        'data: [DONE]\n\n',
      ],
    }
  }
  return {
    status: 200,
    text: JSON.stringify({
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: { role: 'assistant', content: 'Upstream says hi.' },
        },
      ],
      usage: { prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 },
    }),
  }
}

beforeAll(async () => {
  upstream = createServer(async (request, response) => {
    const result = await answer(request, JSON.parse(await readBody(request)))
    if ('sse' in result) {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      for (const event of result.sse ?? []) response.write(event)
      response.end()
      return
    }
    response.writeHead(result.status, { 'content-type': 'application/json' })
    response.end(result.text)
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  gateway = await startTestGateway({
    models: {
      'openai/gpt-local': { backend: 'upstream', url, apiKey: 'sk-local', model: 'real-model' },
      'openai/missing': { backend: 'upstream', url: `${url}/v1/`, model: 'missing' },
    },
  })
})

afterAll(async () => {
  await gateway.close()
  await new Promise((resolve) => upstream.close(resolve))
})

describe('upstream backend', () => {
  test('default', async () => {
    seen = []
    const response = await gateway.post('/v1/chat/completions', {
      model: 'gpt-local',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 10,
      web_search: true,
    })
    const body = await response.json()
    expect(body.choices[0]).toEqual({
      index: 0,
      finish_reason: 'stop',
      message: { role: 'assistant', content: 'Upstream says hi.' },
    })
    expect(body.usage).toEqual({ prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 })
    expect(body.tee_signature).toEqual(expect.any(String))
    expect(seen).toEqual([
      {
        path: '/v1/chat/completions',
        authorization: 'Bearer sk-local',
        body: { model: 'real-model', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 10 },
      },
    ])
  })

  test('behavior: streams content and tool-call deltas through', async () => {
    seen = []
    const response = await gateway.post('/v1/chat/completions', {
      model: 'gpt-local',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    })
    const chunks = sseData(await response.text())
    expect(chunks.at(-1)).toBe('[DONE]')
    const events = chunks.slice(0, -1).map((data) => JSON.parse(data))
    expect(events.map((event) => event.choices[0].delta.content ?? null).slice(0, 2)).toEqual([
      'Hel',
      'lo',
    ])
    expect(events.at(-1)).toMatchObject({
      choices: [{ finish_reason: 'tool_calls' }],
      usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 },
    })
    expect(seen[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } })
  })

  test('args: json_object adds the gateway system message', async () => {
    seen = []
    await gateway.post('/v1/chat/completions', {
      model: 'gpt-local',
      messages: [{ role: 'user', content: '{"a": 1}' }],
      response_format: { type: 'json_object' },
    })
    expect(seen[0]?.body.messages).toEqual([
      { role: 'system', content: 'Respond in JSON format.' },
      { role: 'user', content: '{"a": 1}' },
    ])
  })

  test('args: completions', async () => {
    const body = await (
      await gateway.post('/v1/completions', { model: 'gpt-local', prompt: 'Say' })
    ).json()
    expect(body.completion).toBe(' upstream text')
    expect(body.choices[0].text).toBe(' upstream text')
  })

  test('error: an upstream failure', async () => {
    const response = await gateway.post('/v1/chat/completions', {
      model: 'missing',
      messages: [{ role: 'user', content: 'Hi' }],
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      error: 'Upstream request failed',
      message: 'HTTP 404: {"error": {"message": "no such model"}}',
    })
  })
})
