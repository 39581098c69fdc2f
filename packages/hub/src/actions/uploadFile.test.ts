import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { faultHeader } from '@opengradient/devnet'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import {
  createSignedInClient,
  createTestHubClient,
  readAll,
  startServer,
  uniqueName,
} from '../../test/utils.js'
import { createHubClient, type HubClient } from '../client/createHubClient.js'
import { computeModelCid } from '../utils/cid.js'
import { uploadFile } from './uploadFile.js'

/** A signed-in client with a fresh repository and its first version. */
async function setup() {
  const { client } = await createSignedInClient()
  const { name, initialVersion } = await client.createModel({
    name: uniqueName(),
    description: 'upload tests',
  })
  return { client, model: name, version: initialVersion! }
}

function patterned(length: number, seed = 7): Uint8Array {
  return new Uint8Array(length).map((_, index) => (index * seed + (index >> 11)) % 251)
}

/** A client signed in to a local server (which accepts any token). */
function localClient(baseUrl: string): HubClient {
  return createHubClient({
    baseUrl,
    auth: { idToken: 'token', expiresAt: Date.now() + 3_600_000 },
  })
}

describe('uploadFile', () => {
  test('default', async () => {
    const { client, model, version } = await setup()
    const data = patterned(700_000)
    const progress: { loaded: number; total: number | undefined }[] = []
    const result = await uploadFile(client, {
      model,
      version,
      data,
      fileName: 'weights.bin',
      onProgress: (event) => progress.push(event),
    })
    expect(result).toEqual({ modelCid: await computeModelCid(data), size: 700_000 })
    expect(progress[0]).toEqual({ loaded: 0, total: 700_000 })
    expect(progress.at(-1)).toEqual({ loaded: 700_000, total: 700_000 })
    const loaded = progress.map((event) => event.loaded)
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b))
    expect(await client.listFiles({ model, version })).toEqual([
      {
        name: 'weights.bin',
        size: 700_000,
        ipfsCid: result.modelCid,
        createdAt: expect.any(String),
      },
    ])
  })

  test('args: a File, named after itself', async () => {
    const { client, model, version } = await setup()
    const file = new File([patterned(1000) as Uint8Array<ArrayBuffer>], 'model.onnx')
    const result = await client.uploadFile({ model, version, file })
    expect(result.size).toBe(1000)
    expect((await client.listFiles({ model, version }))[0]?.name).toBe('model.onnx')
  })

  test('args: a stream with and without its size', async () => {
    const { client, model, version } = await setup()
    const data = patterned(3 << 20, 13)
    async function* chunks() {
      for (let offset = 0; offset < data.length; offset += 100_000) {
        yield data.subarray(offset, offset + 100_000)
      }
    }
    const sized = await client.uploadFile({
      model,
      version,
      stream: chunks(),
      size: data.length,
      fileName: 'sized.bin',
    })
    const chunked = await client.uploadFile({
      model,
      version,
      stream: new Blob([data as Uint8Array<ArrayBuffer>]).stream(),
      fileName: 'chunked.bin',
    })
    expect(sized).toEqual({ modelCid: await computeModelCid(data), size: data.length })
    expect(chunked).toEqual(sized)
  })

  test('behavior: concurrent uploads into one version', async () => {
    const { client, model, version } = await setup()
    const files = Array.from({ length: 6 }, (_, index) => patterned(300_000 + index, index + 2))
    const results = await Promise.all(
      files.map((data, index) =>
        client.uploadFile({ model, version, data, fileName: `part-${index}.bin` }),
      ),
    )
    for (const [index, result] of results.entries()) {
      expect(result.modelCid).toBe(await computeModelCid(files[index]!))
    }
    const listed = await client.listFiles({ model, version })
    expect(listed.map((file) => file.name).sort()).toEqual(
      files.map((_, index) => `part-${index}.bin`),
    )
  })

  test('behavior: the request is one streamed multipart part with a Content-Length', async () => {
    let seen: { headers: Record<string, unknown>; body: string } | undefined
    const baseUrl = await startServer(async (request, response) => {
      seen = { headers: request.headers, body: (await readAll(request)).toString('latin1') }
      response.writeHead(201, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ ipfsCid: 'QmX', size: 5 }))
    })
    const result = await uploadFile(localClient(baseUrl), {
      model: 'my model',
      version: '0.01',
      data: new TextEncoder().encode('hello'),
      fileName: 'a "b".onnx',
    })
    expect(result).toEqual({ modelCid: 'QmX', size: 5 })
    const boundary = /boundary=(\S+)$/.exec(String(seen!.headers['content-type']))![1]
    expect(seen!.body).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a %22b%22.onnx"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n--${boundary}--\r\n`,
    )
    expect(Number(seen!.headers['content-length'])).toBe(seen!.body.length)
    expect(seen!.headers.authorization).toBe('Bearer token')
  })

  test('error: the hub fails with 500', async () => {
    const { client, model, version } = await setup()
    const failing = createTestHubClient({
      auth: client.auth.session,
      headers: { [faultHeader]: '500' },
    })
    const error = await failing
      .uploadFile({ model, version, data: patterned(10_000) })
      .catch((error) => error)
    expect(error.name).toBe('HttpError')
    expect(error.status).toBe(500)
    expect(error.detail).toBe('Internal server error')
    expect(error.shortMessage).toBe('Upload failed: Internal server error.')
    expect(await client.listFiles({ model, version })).toEqual([])
  })

  test('error: an unknown version is a 404', async () => {
    const { client, model } = await setup()
    const error = await client
      .uploadFile({ model, version: '9.99', data: patterned(5 << 20) })
      .catch((error) => error)
    expect(error.name).toBe('NotFoundError')
    expect(error.status).toBe(404)
    expect(error.detail).toBe(`Version '9.99' of model '${model}' not found`)
  })

  test('error: cancelled mid-upload, the hub keeps nothing', async () => {
    const { client, model, version } = await setup()
    const controller = new AbortController()
    let sent = 0
    async function* slowly() {
      for (let index = 0; index < 64; index++) {
        yield patterned(1 << 20, index + 3)
        sent += 1 << 20
        if (sent === 4 << 20) controller.abort()
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    }
    const error = await client
      .uploadFile({ model, version, stream: slowly(), size: 64 << 20, signal: controller.signal })
      .catch((error) => error)
    expect(error.name).toBe('AbortError')
    expect(sent).toBeLessThan(64 << 20)
    expect(await client.listFiles({ model, version })).toEqual([])
    // The devnet removes the partial file once it sees the connection close.
    const tmp = join(testDevnet().dataDir, 'models', 'tmp')
    await expect
      .poll(async () =>
        (await readdir(tmp).catch(() => [])).filter((file) => file.endsWith('.part')),
      )
      .toEqual([])
  })

  test('error: a 201 with an empty body', async () => {
    const baseUrl = await startServer(async (request, response) => {
      await readAll(request)
      response.writeHead(201)
      response.end()
    })
    await expect(
      uploadFile(localClient(baseUrl), { model: 'm', version: '0.01', data: new Uint8Array(3) }),
    ).rejects.toThrow('Upload failed: the hub answered 201 with an empty body.')
  })

  test('error: another 2xx is not success', async () => {
    const baseUrl = await startServer(async (request, response) => {
      await readAll(request)
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ detail: 'Queued for review' }))
    })
    const error = await uploadFile(localClient(baseUrl), {
      model: 'm',
      version: '0.01',
      data: new Uint8Array(3),
    }).catch((error) => error)
    expect(error.status).toBe(200)
    expect(error.shortMessage).toBe('Upload failed: Queued for review.')
  })

  test('error: a stream shorter than its size', async () => {
    const { client, model, version } = await setup()
    async function* short() {
      yield new Uint8Array(10)
    }
    const error = await client
      .uploadFile({ model, version, stream: short(), size: 20 })
      .catch((error) => error)
    expect(error.name).toBe('InvalidInputError')
    expect(error.shortMessage).toBe('The upload source gave 10 bytes, not the 20 announced.')
  })

  test('error: a redirect is not followed', async () => {
    const baseUrl = await startServer(async (request, response) => {
      await readAll(request)
      response.writeHead(307, { location: '/elsewhere' })
      response.end()
    })
    await expect(
      uploadFile(localClient(baseUrl), { model: 'm', version: '0.01', data: new Uint8Array(3) }),
    ).rejects.toThrow(
      'Upload failed: the server answered with a redirect, which is not followed for this request.',
    )
  })

  test('error: not exactly one source', async () => {
    const client = createHubClient()
    await expect(
      uploadFile(client, { model: 'm', version: '1', data: new Uint8Array(1), file: new Blob([]) }),
    ).rejects.toThrow('Pass exactly one of file, data and stream to uploadFile.')
  })

  test('error: not signed in', async () => {
    const client = createHubClient({ fetch: () => Promise.reject(new Error('no request')) })
    const error = await uploadFile(client, {
      model: 'm',
      version: '1',
      data: new Uint8Array(1),
    }).catch((error) => error)
    expect(error.name).toBe('AuthError')
    expect(error.shortMessage).toBe('Not signed in to the Model Hub.')
  })
})
