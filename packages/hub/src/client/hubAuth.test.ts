import { describe, expect, test } from 'vitest'
import {
  createSignedInClient,
  createTestHubClient,
  createTestUser,
  uniqueName,
} from '../../test/utils.js'
import { createHubClient } from './createHubClient.js'
import { createHubAuth, type HubSession } from './hubAuth.js'

describe('createHubAuth', () => {
  test('default', async () => {
    const auth = createHubAuth({
      initial: { idToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 3_600_000 },
      refresh: () => Promise.reject(new Error('not needed')),
    })
    expect(auth.signedIn).toBe(true)
    expect(await auth.getIdToken()).toBe('a')
  })

  test('behavior: concurrent callers share one refresh', async () => {
    let refreshes = 0
    const auth = createHubAuth({
      initial: { idToken: 'old', refreshToken: 'r', expiresAt: Date.now() + 1000 },
      refresh: async ({ session }) => {
        refreshes++
        await new Promise((resolve) => setTimeout(resolve, 20))
        return { ...session, idToken: 'new', expiresAt: Date.now() + 3_600_000 }
      },
    })
    expect(await Promise.all([auth.getIdToken(), auth.getIdToken(), auth.getIdToken()])).toEqual([
      'new',
      'new',
      'new',
    ])
    expect(refreshes).toBe(1)
  })

  test('behavior: a token provider gets forceRefresh after a refusal', async () => {
    const calls: boolean[] = []
    const auth = createHubAuth({
      initial: async ({ forceRefresh }) => {
        calls.push(forceRefresh)
        return forceRefresh ? 'fresh' : 'stale'
      },
      refresh: () => Promise.reject(new Error('unused')),
    })
    expect(await auth.getIdToken()).toBe('stale')
    expect(await auth.getIdToken({ forceRefresh: true, refusedToken: 'stale' })).toBe('fresh')
    expect(calls).toEqual([false, true])
  })

  test('error: not signed in', async () => {
    const auth = createHubAuth({ refresh: () => Promise.reject(new Error('unused')) })
    await expect(auth.getIdToken()).rejects.toThrow('Not signed in to the Model Hub.')
  })
})

describe('token refresh against the devnet', () => {
  test('behavior: refreshed 60 s before expiry, before the call', async () => {
    const sessions: (HubSession | undefined)[] = []
    // 61 s tokens are within the 60 s margin one second after sign-in.
    const { client } = await createSignedInClient({
      tokenLifetime: 61,
      onSessionChange: (session) => sessions.push(session),
    })
    const first = client.auth.session!
    await new Promise((resolve) => setTimeout(resolve, 1100))
    await client.createModel({ name: uniqueName(), description: '' })
    expect(sessions).toHaveLength(2)
    expect(client.auth.session!.idToken).not.toBe(first.idToken)
    expect(client.auth.session!.expiresAt).toBeGreaterThan(first.expiresAt)
    expect(client.auth.session!.refreshToken).toBe(first.refreshToken)
  })

  test('behavior: a 401 refreshes and repeats the request once', async () => {
    // The hub refuses the token (expired 1 s tokens), though the client thinks it valid.
    const user = await createTestUser({ tokenLifetime: 1 })
    const signedIn = createTestHubClient()
    const { idToken, refreshToken } = await signedIn.login(user)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const sessions: (HubSession | undefined)[] = []
    const client = createTestHubClient({
      auth: { idToken, refreshToken, expiresAt: Date.now() + 3_600_000 },
      onSessionChange: (session) => sessions.push(session),
    })
    // The hub authenticates before it looks the repository up: a 404 means the token passed.
    const error = await client.listFiles({ model: uniqueName(), version: '0.01' }).catch((e) => e)
    expect(error.name).toBe('NotFoundError')
    expect(sessions).toHaveLength(1)
    expect(sessions[0]!.idToken).not.toBe(idToken)
  })

  test('error: a revoked refresh token needs a new sign-in', async () => {
    const client = createTestHubClient({
      auth: { idToken: 'x.y.z', refreshToken: 'revoked.token', expiresAt: Date.now() },
    })
    const error = await client.listFiles({ model: 'm', version: '0.01' }).catch((error) => error)
    expect(error.name).toBe('AuthError')
    expect(error.detail).toBe('INVALID_REFRESH_TOKEN')
    expect(error.shortMessage).toBe('Token refresh failed: the session was revoked; sign in again.')
  })

  test('error: the hub refuses an invalid token', async () => {
    const client = createHubClient({
      ...{ baseUrl: createTestHubClient().baseUrl },
      auth: async () => 'not-a-token',
    })
    const error = await client.createModel({ name: uniqueName(), description: '' }).catch((e) => e)
    expect(error.name).toBe('AuthError')
    expect(error.status).toBe(401)
    expect(error.detail).toBe('Invalid authentication credentials')
  })
})
