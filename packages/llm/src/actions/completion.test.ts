import { describe, expect, test } from 'vitest'
import { devnetLlmClient, json, startTestServer } from '../../test/servers.js'
import { createLlmClient } from '../client/createLlmClient.js'
import { completion } from './completion.js'

describe('completion', () => {
  test('default', async () => {
    const client = devnetLlmClient()
    const reply = await completion(client, { model: 'devnet/tiny', prompt: 'The river' })
    expect(reply).toMatchObject({
      finishReason: 'stop',
      text: ' is a small harbor.',
      toolCalls: [],
      usage: { promptTokens: 2, completionTokens: 5, totalTokens: 7 },
      tee: { signature: expect.any(String), teeId: expect.stringMatching(/^0x/) },
    })
  })

  test('args: maxTokens and stop', async () => {
    const client = devnetLlmClient()
    expect(
      await client.completion({ model: 'devnet/tiny', prompt: 'The river', maxTokens: 2 }),
    ).toMatchObject({ finishReason: 'length', text: ' is a' })
    expect(
      await client.completion({ model: 'devnet/tiny', prompt: 'The river', stop: [' small'] }),
    ).toMatchObject({ finishReason: 'stop', text: ' is a' })
  })

  test("behavior: reads the older gateways' `completion` and signature fields", async () => {
    const server = await startTestServer((_, response) =>
      json(response, 200, {
        completion: 'Old text',
        model: 'gpt-5',
        timestamp: 1760000000,
        signature: 'c2ln',
        request_hash: 'aa',
        output_hash: 'bb',
      }),
    )
    const reply = await completion(createLlmClient({ baseUrl: server.url }), {
      model: 'openai/gpt-5',
      prompt: 'Say hi',
      maxTokens: 50,
    })
    expect(reply.text).toBe('Old text')
    expect(reply.finishReason).toBeUndefined()
    expect(reply.tee).toMatchObject({
      signature: 'c2ln',
      timestamp: 1760000000,
      requestHash: 'aa',
      outputHash: 'bb',
    })
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      model: 'gpt-5',
      prompt: 'Say hi',
      max_tokens: 50,
      temperature: 0,
    })
  })

  test('error: an answer without choices or completion', async () => {
    const server = await startTestServer((_, response) => json(response, 200, { choices: [] }))
    await expect(
      completion(createLlmClient({ baseUrl: server.url }), { model: 'openai/gpt-5', prompt: 'x' }),
    ).rejects.toThrow("The LLM gateway's completion answer has no choices.")
  })

  test('error: an HTTP error', async () => {
    const server = await startTestServer((_, response) =>
      json(response, 500, { error: 'Request processing failed' }),
    )
    const error = await completion(createLlmClient({ baseUrl: server.url, retryCount: 0 }), {
      model: 'openai/gpt-5',
      prompt: 'x',
    }).catch((error) => error)
    expect(error.name).toBe('HttpError')
    expect(error.shortMessage).toBe(
      'The LLM gateway answered the completion request with HTTP 500 Internal Server Error.',
    )
    expect(error.detail).toBe('Request processing failed')
  })
})
