import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { HttpRequestError } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createHttpRpcBatch } from './createHttpRpcBatch.js'

let base = ''
const server = createServer((request, response) => {
  const chunks: Buffer[] = []
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => {
    if (request.url === '/down') {
      response.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance')
      return
    }
    if (request.url === '/slow') return
    const calls = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      id: number
      method: string
      params: unknown[]
    }[]
    // Answered in reverse order, as a node may: the client must put them back.
    const answers = calls
      .map((call) =>
        call.method === 'fail'
          ? { jsonrpc: '2.0', id: call.id, error: { code: -32000, message: 'nonce too low' } }
          : { jsonrpc: '2.0', id: call.id, result: [call.method, ...call.params] },
      )
      .reverse()
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers))
  })
})

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('createHttpRpcBatch', () => {
  test('default: answers come back in request order, errors in place', async () => {
    const batch = createHttpRpcBatch(`${base}/`)
    expect(batch.url).toBe(`${base}/`)
    const answers = await batch([
      { method: 'first', params: [1] },
      { method: 'fail', params: [] },
      { method: 'third', params: ['x'] },
    ])
    expect(answers).toEqual([
      { jsonrpc: '2.0', id: expect.any(Number), result: ['first', 1] },
      { jsonrpc: '2.0', id: expect.any(Number), error: { code: -32000, message: 'nonce too low' } },
      { jsonrpc: '2.0', id: expect.any(Number), result: ['third', 'x'] },
    ])
  })

  test('error: an HTTP failure is an HttpRequestError with the status and the body', async () => {
    const error = await createHttpRpcBatch(`${base}/down`)([{ method: 'a', params: [] }]).catch(
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(HttpRequestError)
    expect((error as HttpRequestError).status).toBe(503)
    expect((error as HttpRequestError).message).toContain('maintenance')
  })

  test('error: a node that never answers is given up after the timeout', async () => {
    const started = Date.now()
    await expect(
      createHttpRpcBatch(`${base}/slow`, { timeoutMs: 50 })([{ method: 'a', params: [] }]),
    ).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
