import { describe, expect, test } from 'vitest'
import { createSignedInClient, startServer, uniqueName } from '../../test/utils.js'
import { createHubClient } from '../client/createHubClient.js'
import { listFiles } from './listFiles.js'

const signedIn = { idToken: 'token', expiresAt: Date.now() + 3_600_000 }

describe('listFiles', () => {
  test('default', async () => {
    const { client } = await createSignedInClient()
    const { name, initialVersion } = await client.createModel({
      name: uniqueName(),
      description: '',
    })
    expect(await listFiles(client, { model: name, version: initialVersion! })).toEqual([])
    await client.uploadFile({
      model: name,
      version: initialVersion!,
      data: new Uint8Array([1]),
      fileName: 'a.onnx',
    })
    await client.uploadFile({
      model: name,
      version: initialVersion!,
      data: new Uint8Array([2]),
      fileName: 'b.onnx',
    })
    const files = await listFiles(client, { model: name, version: initialVersion! })
    expect(files.map(({ name, size }) => ({ name, size }))).toEqual([
      { name: 'a.onnx', size: 1 },
      { name: 'b.onnx', size: 1 },
    ])
  })

  test('behavior: retried after 503 with Retry-After, then succeeds', async () => {
    const times: number[] = []
    const baseUrl = await startServer((_request, response) => {
      times.push(Date.now())
      if (times.length < 3) {
        response.writeHead(503, { 'retry-after': '0.2', 'content-type': 'application/json' })
        response.end(JSON.stringify({ detail: 'busy' }))
        return
      }
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify([{ name: 'a', size: 1 }]))
    })
    const client = createHubClient({ baseUrl, auth: signedIn, retryDelay: 1 })
    expect(await client.listFiles({ model: 'm', version: '1' })).toEqual([{ name: 'a', size: 1 }])
    expect(times).toHaveLength(3)
    // Retry-After (200 ms) wins over the 1 ms backoff.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(190)
  })

  test('error: gives up after retryCount repeats', async () => {
    let requests = 0
    const baseUrl = await startServer((_request, response) => {
      requests++
      response.writeHead(502)
      response.end()
    })
    const client = createHubClient({ baseUrl, auth: signedIn, retryCount: 1, retryDelay: 1 })
    const error = await client.listFiles({ model: 'm', version: '1' }).catch((error) => error)
    expect(requests).toBe(2)
    expect(error.status).toBe(502)
    expect(error.shortMessage).toBe('File listing failed: Unknown error occurred.')
  })

  test('error: unknown version', async () => {
    const { client } = await createSignedInClient()
    const { name } = await client.createModel({ name: uniqueName(), description: '' })
    const error = await client.listFiles({ model: name, version: '5.00' }).catch((error) => error)
    expect(error.name).toBe('NotFoundError')
  })

  test('error: timeout', async () => {
    const baseUrl = await startServer(() => {})
    const client = createHubClient({ baseUrl, auth: signedIn, timeout: 100, retryCount: 0 })
    const error = await client.listFiles({ model: 'm', version: '1' }).catch((error) => error)
    expect(error.name).toBe('TimeoutError')
    expect(error.shortMessage).toBe('File listing got no answer within 100 ms.')
  })

  test('error: path segments that URLs cannot carry', async () => {
    const client = createHubClient({ auth: signedIn })
    await expect(client.listFiles({ model: '..', version: '1' })).rejects.toThrow(
      '".." cannot be a model name: URLs cannot carry it.',
    )
  })
})
