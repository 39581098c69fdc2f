import { describe, expect, test } from 'vitest'
import { createSignedInClient, startServer, uniqueName } from '../../test/utils.js'
import { createHubClient } from '../client/createHubClient.js'
import { createVersion } from './createVersion.js'

describe('createVersion', () => {
  test('default', async () => {
    const { client } = await createSignedInClient()
    const { name } = await client.createModel({ name: uniqueName(), description: '' })
    const result = await createVersion(client, { model: name, notes: 'retrained' })
    expect(result.versionString).toBe('0.02')
    expect(result.response).toMatchObject({ versionString: '0.02', notes: 'retrained' })
  })

  test('args: isMajor', async () => {
    const { client } = await createSignedInClient()
    const { name } = await client.createModel({ name: uniqueName(), description: '' })
    expect((await client.createVersion({ model: name, isMajor: true })).versionString).toBe('1.00')
    expect((await client.createVersion({ model: name })).versionString).toBe('1.01')
  })

  test('behavior: an empty array or a missing versionString gives no version', async () => {
    const answers = [[], { id: 7 }]
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(201, { 'content-type': 'application/json' })
      response.end(JSON.stringify(answers.shift()))
    })
    const client = createHubClient({
      baseUrl,
      auth: { idToken: 'token', expiresAt: Date.now() + 3_600_000 },
    })
    expect(await client.createVersion({ model: 'm' })).toEqual({
      versionString: undefined,
      response: [],
    })
    expect((await client.createVersion({ model: 'm' })).versionString).toBeUndefined()
  })

  test('error: unknown model', async () => {
    const { client } = await createSignedInClient()
    const error = await client.createVersion({ model: uniqueName() }).catch((error) => error)
    expect(error.name).toBe('NotFoundError')
    expect(error.status).toBe(404)
  })

  test("error: another user's model", async () => {
    const { client: owner } = await createSignedInClient()
    const { client: other } = await createSignedInClient()
    const { name } = await owner.createModel({ name: uniqueName(), description: '' })
    const error = await other.createVersion({ model: name }).catch((error) => error)
    expect(error.name).toBe('AuthError')
    expect(error.status).toBe(403)
    expect(error.detail).toBe(`Model '${name}' belongs to another user`)
  })

  test('error: a redirect is not followed', async () => {
    let requests = 0
    const baseUrl = await startServer((_request, response) => {
      requests++
      response.writeHead(307, { location: '/elsewhere' })
      response.end()
    })
    const client = createHubClient({
      baseUrl,
      auth: { idToken: 'token', expiresAt: Date.now() + 3_600_000 },
    })
    const error = await client.createVersion({ model: 'm' }).catch((error) => error)
    expect(error.status).toBe(307)
    expect(error.shortMessage).toBe(
      'Version creation failed: the server answered with a redirect (status 307), which is not followed for this request.',
    )
    expect(error.metaMessages).toContain('Location: /elsewhere')
    expect(requests).toBe(1)
  })
})
