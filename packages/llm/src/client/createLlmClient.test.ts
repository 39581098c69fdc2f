import { describe, expect, test } from 'vitest'
import { createLlmClient } from './createLlmClient.js'

describe('createLlmClient', () => {
  test('default', () => {
    const client = createLlmClient()
    expect({
      ...client,
      fetch: typeof client.fetch,
      chat: typeof client.chat,
      completion: typeof client.completion,
    }).toMatchInlineSnapshot(`
      {
        "account": undefined,
        "baseUrl": "http://127.0.0.1:8545",
        "chat": "function",
        "completion": "function",
        "fetch": "function",
        "headers": undefined,
        "onResponse": undefined,
        "payment": undefined,
        "retryCount": 2,
        "retryDelay": 500,
        "settlementMode": "batch",
        "tee": undefined,
        "teePublicKey": undefined,
        "timeout": 60000,
        "verify": false,
      }
    `)
  })

  test('args: every option', () => {
    const fetch = async () => new Response()
    const client = createLlmClient({
      baseUrl: 'https://gateway.example',
      fetch,
      headers: { 'x-a': '1' },
      timeout: 5000,
      retryCount: 0,
      retryDelay: 10,
      settlementMode: 'SETTLE',
    })
    expect(client).toMatchObject({
      baseUrl: 'https://gateway.example',
      fetch,
      headers: { 'x-a': '1' },
      timeout: 5000,
      retryCount: 0,
      retryDelay: 10,
      settlementMode: 'private',
    })
  })

  test('error: invalid options', () => {
    expect(() => createLlmClient({ timeout: 0 })).toThrow('"timeout" must be a positive number')
    expect(() => createLlmClient({ retryCount: -1 })).toThrow('"retryCount" must be a non-negative')
    expect(() => createLlmClient({ settlementMode: 'later' })).toThrow('is not a settlement mode')
  })
})
