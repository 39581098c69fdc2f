import { describe, expect, test } from 'vitest'
import {
  createSignedInClient,
  createTestHubClient,
  startServer,
  uniqueName,
} from '../../test/utils.js'
import { createHubClient } from '../client/createHubClient.js'
import { computeModelCid } from '../utils/cid.js'
import { streamIterator } from '../utils/uploadBody.js'
import { downloadFile } from './downloadFile.js'

async function readStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  const iterator = streamIterator(stream)
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    chunks.push(next.value)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

/** Uploads bytes to the devnet hub and returns their CID. */
async function uploaded(data: Uint8Array): Promise<string> {
  const { client } = await createSignedInClient()
  const { name, initialVersion } = await client.createModel({ name: uniqueName(), description: '' })
  return (await client.uploadFile({ model: name, version: initialVersion!, data })).modelCid
}

describe('downloadFile', () => {
  test('default', async () => {
    const data = new Uint8Array(1_500_000).map((_, index) => index % 253)
    const cid = await uploaded(data)
    const progress: number[] = []
    const { stream, size } = await downloadFile(createTestHubClient(), {
      cid,
      onProgress: ({ loaded }) => progress.push(loaded),
    })
    expect(size).toBe(data.length)
    // Buffer comparison: a deep equality of 1.5 million elements is slow.
    expect(Buffer.from(await readStream(stream)).equals(Buffer.from(data))).toBe(true)
    expect(progress.at(-1)).toBe(data.length)
  })

  test('behavior: no hub credentials or headers reach the gateway', async () => {
    const bytes = new TextEncoder().encode('hello world\n')
    const cid = await computeModelCid(bytes)
    let headers: Record<string, unknown> = {}
    const gateway = await startServer((request, response) => {
      headers = request.headers
      response.end(bytes)
    })
    const client = createHubClient({
      auth: { idToken: 'secret-token', expiresAt: Date.now() + 3_600_000 },
      headers: { 'x-hub-only': '1' },
    })
    const { stream } = await client.downloadFile({ cid, gateway: `${gateway}/ipfs/` })
    expect(await readStream(stream)).toEqual(bytes)
    expect(headers.authorization).toBeUndefined()
    expect(headers['x-hub-only']).toBeUndefined()
  })

  test('error: tampered bytes end the stream with an IntegrityError', async () => {
    const original = new TextEncoder().encode('the real model')
    const cid = await computeModelCid(original)
    const gateway = await startServer((_request, response) => {
      response.end('a substituted model')
    })
    const { stream } = await downloadFile(createHubClient({ gatewayUrl: `${gateway}/ipfs/` }), {
      cid,
    })
    const error = await readStream(stream).catch((error) => error)
    expect(error.name).toBe('IntegrityError')
    expect(error.expectedCid).toBe(cid)
    expect(error.actualCid).toBe(
      await computeModelCid(new TextEncoder().encode('a substituted model')),
    )
  })

  test('error: unknown content id', async () => {
    const cid = await computeModelCid(new TextEncoder().encode(uniqueName()))
    const error = await downloadFile(createTestHubClient(), { cid }).catch((error) => error)
    expect(error.name).toBe('NotFoundError')
    expect(error.status).toBe(404)
  })

  test('error: not a CIDv0', async () => {
    await expect(downloadFile(createTestHubClient(), { cid: 'mlp' })).rejects.toThrow(
      '"mlp" is not a CIDv0 (Qm…) content id; it cannot be checked.',
    )
  })

  test('error: the whole transfer is bounded by transferTimeout', async () => {
    const gateway = await startServer((_request, response) => {
      response.writeHead(200, { 'content-length': '100' })
      response.write('partial')
    })
    const cid = await computeModelCid(new Uint8Array(100))
    const client = createHubClient({ gatewayUrl: `${gateway}/ipfs/`, transferTimeout: 200 })
    const { stream } = await client.downloadFile({ cid })
    const error = await readStream(stream).catch((error) => error)
    expect(error.name).toBe('TimeoutError')
  })
})
