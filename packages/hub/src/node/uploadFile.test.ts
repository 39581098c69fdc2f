import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { createSignedInClient, uniqueName } from '../../test/utils.js'
import { createHubClient } from '../client/createHubClient.js'
import { computeModelCid } from '../utils/cid.js'
import { uploadFile } from './uploadFile.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function tempFile(name: string, bytes: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'og-hub-'))
  dirs.push(dir)
  const path = join(dir, name)
  await writeFile(path, bytes)
  return path
}

describe('uploadFile (node)', () => {
  test('default', async () => {
    const { client } = await createSignedInClient()
    const { name, initialVersion } = await client.createModel({
      name: uniqueName(),
      description: '',
    })
    const bytes = new Uint8Array(3_000_000).fill(42)
    const path = await tempFile('weights.onnx', bytes)
    const result = await uploadFile(client, { model: name, version: initialVersion!, path })
    expect(result).toEqual({ modelCid: await computeModelCid(bytes), size: bytes.length })
    expect((await client.listFiles({ model: name, version: initialVersion! }))[0]?.name).toBe(
      'weights.onnx',
    )
  })

  test('args: without a path it is the main uploadFile', async () => {
    const { client } = await createSignedInClient()
    const { name, initialVersion } = await client.createModel({
      name: uniqueName(),
      description: '',
    })
    const result = await uploadFile(client, {
      model: name,
      version: initialVersion!,
      data: new Uint8Array([1, 2]),
    })
    expect(result.size).toBe(2)
  })

  test('error: a missing file fails before any request', async () => {
    const client = createHubClient({
      auth: { idToken: 't', expiresAt: Date.now() + 3_600_000 },
      fetch: () => Promise.reject(new Error('no request')),
    })
    const error = await uploadFile(client, {
      model: 'm',
      version: '0.01',
      path: '/nonexistent/model.onnx',
    }).catch((error) => error)
    expect(error.name).toBe('NotFoundError')
    expect(error.shortMessage).toBe('Model file not found: "/nonexistent/model.onnx".')
  })
})
