import { describe, expect, test } from 'vitest'
import { createHubClient } from './createHubClient.js'

describe('createHubClient', () => {
  test('default', () => {
    const client = createHubClient()
    expect({
      baseUrl: client.baseUrl,
      apiKey: client.apiKey,
      authUrl: client.authUrl,
      signInApi: client.signInApi,
      gatewayUrl: client.gatewayUrl,
      timeout: client.timeout,
      transferTimeout: client.transferTimeout,
      retryCount: client.retryCount,
      retryDelay: client.retryDelay,
      headers: client.headers,
      signedIn: client.auth.signedIn,
    }).toMatchInlineSnapshot(`
      {
        "apiKey": undefined,
        "authUrl": undefined,
        "baseUrl": "https://api.opengradient.ai/api/v0",
        "gatewayUrl": "https://ipfs.io/ipfs/",
        "headers": {},
        "retryCount": 2,
        "retryDelay": 500,
        "signInApi": "v1",
        "signedIn": false,
        "timeout": 30000,
        "transferTimeout": 3600000,
      }
    `)
  })

  test('args: a saved session signs the client in; trailing slashes are dropped', () => {
    const client = createHubClient({
      baseUrl: 'http://127.0.0.1:8545/api/v0/',
      auth: { idToken: 't', expiresAt: Date.now() + 60_000 },
    })
    expect(client.baseUrl).toBe('http://127.0.0.1:8545/api/v0')
    expect(client.auth.signedIn).toBe(true)
  })

  test('behavior: every action is bound', () => {
    const client = createHubClient()
    const actions = Object.entries(client)
      .filter(([, value]) => typeof value === 'function')
      .map(([key]) => key)
      .sort()
    expect(actions).toEqual([
      'createModel',
      'createVersion',
      'downloadFile',
      'downloadModel',
      'fetch',
      'getModel',
      'ky',
      'listFiles',
      'listModels',
      'login',
      'uploadFile',
    ])
  })
})
