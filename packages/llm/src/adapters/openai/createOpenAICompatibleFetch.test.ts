import { describe, expect, test } from 'vitest'
import { devnetLlmClient } from '../../../test/servers.js'
import { createOpenAICompatibleFetch } from './createOpenAICompatibleFetch.js'

const messages = [{ role: 'user', content: 'Tell me about the weather.' }]

/** A request as the `openai` package sends it: JSON text, its own bearer token. */
function openAIRequest(body: unknown, signal?: AbortSignal): RequestInit {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: 'Bearer unused',
      'x-stainless-lang': 'js',
    },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  }
}

describe('createOpenAICompatibleFetch', () => {
  test('default', async () => {
    const sent: { url: string; body: unknown; settlement: string | null }[] = []
    const base = devnetLlmClient()
    const client = devnetLlmClient({
      // Stands in for a payment-aware fetch: every request must pass through it.
      fetch: async (input, init) => {
        sent.push({
          url: String(input),
          body: JSON.parse(String(init?.body)),
          settlement: new Headers(init?.headers).get('x-settlement-type'),
        })
        return globalThis.fetch(input, init)
      },
    })
    const fetch = createOpenAICompatibleFetch({ client })
    const response = await fetch(
      `${base.baseUrl}/v1/chat/completions`,
      openAIRequest({ model: 'devnet/tiny', messages }),
    )
    expect(response.status).toBe(200)
    const completion = (await response.json()) as {
      object: string
      choices: { message: { role: string; content: string }; finish_reason: string }[]
    }
    expect(completion.object).toBe('chat.completion')
    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'stop',
      message: { role: 'assistant', content: 'The weather is mild today.' },
    })
    expect(sent).toEqual([
      {
        url: `${base.baseUrl}/v1/chat/completions`,
        body: { model: 'tiny', messages },
        settlement: 'batch',
      },
    ])
  })

  test('args: client config and settlementMode', async () => {
    const seen: { settlement: string | null; body: unknown }[] = []
    const base = devnetLlmClient()
    const fetch = createOpenAICompatibleFetch({
      baseUrl: base.baseUrl,
      settlementMode: 'private',
      onResponse: (response, info) => {
        seen.push({ settlement: response.headers.get('x-settlement-type'), body: info.body })
      },
    })
    const response = await fetch(
      new URL('/v1/completions', base.baseUrl),
      openAIRequest({ model: 'devnet/tiny', prompt: 'The weather', max_tokens: 3 }),
    )
    expect(response.status).toBe(200)
    expect(seen).toEqual([
      { settlement: 'private', body: { model: 'tiny', prompt: 'The weather', max_tokens: 3 } },
    ])
  })

  test('behavior: streams pass through as server-sent events', async () => {
    const client = devnetLlmClient()
    const fetch = createOpenAICompatibleFetch({ client })
    const response = await fetch(
      `${client.baseUrl}/v1/chat/completions`,
      openAIRequest({ model: 'devnet/tiny', messages, stream: true }),
    )
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    const text = await response.text()
    const pieces = text
      .split('\n')
      .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
      .map((line) => JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string } }[] })
      .map((event) => event.choices?.[0]?.delta?.content ?? '')
    expect(pieces.join('')).toBe('The weather is mild today.')
  })

  test('behavior: the model list is read as is', async () => {
    const client = devnetLlmClient()
    const fetch = createOpenAICompatibleFetch({ client })
    const response = await fetch(`${client.baseUrl}/v1/models`)
    expect(response.status).toBe(200)
  })

  test('error: a model id without a provider prefix', async () => {
    const client = devnetLlmClient()
    const fetch = createOpenAICompatibleFetch({ client })
    await expect(
      fetch(`${client.baseUrl}/v1/chat/completions`, openAIRequest({ model: 'tiny', messages })),
    ).rejects.toMatchObject({ name: 'InvalidInputError' })
  })
})
