import { describe, expect, test } from 'vitest'
import { createTestHubClient, createTestUser, startServer } from '../../test/utils.js'
import { createHubClient } from '../client/createHubClient.js'
import { login } from './login.js'

describe('login', () => {
  test('default', async () => {
    const user = await createTestUser()
    const sessions: unknown[] = []
    const client = createTestHubClient({ onSessionChange: (session) => sessions.push(session) })
    const before = Date.now()
    const result = await login(client, user)
    expect(result).toMatchObject({
      email: user.email,
      expiresIn: 3600,
      idToken: expect.stringMatching(/^eyJ/),
      refreshToken: expect.any(String),
      localId: expect.any(String),
    })
    expect(result.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000)
    expect(client.auth.session).toMatchObject({ idToken: result.idToken, email: user.email })
    expect(sessions).toHaveLength(1)
  })

  test('args: legacy verifyPassword endpoint', async () => {
    const user = await createTestUser()
    const client = createTestHubClient({ signInApi: 'legacy' })
    const result = await client.login(user)
    expect(result.idToken).toMatch(/^eyJ/)
  })

  test('behavior: the API key and the endpoint shapes on the wire', async () => {
    const seen: { url: string; body: string; contentType: string | undefined }[] = []
    const authUrl = await startServer(async (request, response) => {
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      seen.push({
        url: request.url ?? '',
        body: Buffer.concat(chunks).toString(),
        contentType: request.headers['content-type'],
      })
      response.setHeader('content-type', 'application/json')
      response.end(
        JSON.stringify({
          localId: 'uid',
          email: 'me@example.com',
          idToken: 'id-token',
          refreshToken: 'refresh-token',
          expiresIn: '3600',
        }),
      )
    })
    for (const signInApi of ['v1', 'legacy'] as const) {
      const client = createHubClient({ authUrl, apiKey: 'web-key', signInApi })
      await client.login({ email: 'me@example.com', password: 'pw-123456' })
    }
    expect(seen.map((request) => request.url)).toEqual([
      '/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=web-key',
      '/www.googleapis.com/identitytoolkit/v3/relyingparty/verifyPassword?key=web-key',
    ])
    expect(JSON.parse(seen[0]!.body)).toEqual({
      email: 'me@example.com',
      password: 'pw-123456',
      returnSecureToken: true,
    })
    expect(seen[0]!.contentType).toMatch(/^application\/json/)
  })

  test('error: wrong password', async () => {
    const user = await createTestUser()
    const client = createTestHubClient()
    const error = await client
      .login({ email: user.email, password: 'wrong password' })
      .catch((error) => error)
    expect(error.name).toBe('AuthError')
    expect(error.status).toBe(400)
    expect(error.detail).toBe('INVALID_LOGIN_CREDENTIALS')
    expect(error.shortMessage).toBe('Sign-in failed: the email address or the password is wrong.')
    expect(error.message).not.toContain('wrong password')
    expect(client.auth.session).toBeUndefined()
  })

  test('error: unknown email', async () => {
    const client = createTestHubClient()
    const error = await client
      .login({ email: 'nobody@example.com', password: 'whatever1' })
      .catch((error) => error)
    expect(error.detail).toBe('INVALID_LOGIN_CREDENTIALS')
  })

  test('error: no API key and no emulator', async () => {
    const client = createHubClient({ fetch: () => Promise.reject(new Error('no request')) })
    await expect(client.login({ email: 'me@example.com', password: 'x' })).rejects.toThrow(
      'Signing in to the Model Hub needs the Firebase web API key.',
    )
  })
})
