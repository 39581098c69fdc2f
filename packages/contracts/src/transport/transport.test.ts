import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPublicClient, HttpRequestError } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createHttpRpcBatch } from './createHttpRpcBatch.js'
import { keepAliveFetch } from './keepAliveFetch.js'
import { keepAliveHttp } from './keepAliveHttp.js'

type Seen = { method: string; url: string; headers: IncomingMessage['headers']; body: string }

const seen: Seen[] = []
const sockets = new Set<unknown>()
let base = ''

function answer(request: IncomingMessage, response: ServerResponse, body: string): void {
  seen.push({ method: request.method!, url: request.url!, headers: request.headers, body })
  if (request.url === '/redirect') {
    response.writeHead(307, { location: '/rpc' }).end()
    return
  }
  if (request.url === '/slow') return // never answers: the caller's signal must end it
  if (request.url === '/batch') {
    const calls = JSON.parse(body) as { id: number; method: string; params: unknown[] }[]
    // Answered in reverse order, as a node may: the client must put them back.
    const answers = calls
      .map((call) =>
        call.method === 'fail'
          ? { jsonrpc: '2.0', id: call.id, error: { code: -32000, message: 'nonce too low' } }
          : { jsonrpc: '2.0', id: call.id, result: [call.method, ...call.params] },
      )
      .reverse()
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers))
    return
  }
  if (request.url === '/broken') {
    response.writeHead(500, { 'content-type': 'text/plain' }).end('upstream is down')
    return
  }
  const call = body ? (JSON.parse(body) as { id: number; method: string }) : undefined
  const result = call?.method === 'eth_chainId' ? '0x29f8' : call?.method
  response
    .writeHead(200, { 'content-type': 'application/json', 'x-served-by': 'test' })
    .end(JSON.stringify({ jsonrpc: '2.0', id: call?.id ?? null, result }))
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = []
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => answer(request, response, Buffer.concat(chunks).toString('utf8')))
})
server.on('connection', (socket) => sockets.add(socket))

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('keepAliveFetch', () => {
  test('default: a JSON-RPC call through viem, many calls on few connections', async () => {
    const client = createPublicClient({ transport: keepAliveHttp(`${base}/rpc`) })
    const before = sockets.size
    expect(await client.getChainId()).toBe(10744)
    for (let index = 0; index < 20; index++) {
      expect(await client.request({ method: 'eth_blockNumber' as never })).toBe('eth_blockNumber')
    }
    expect(sockets.size - before).toBe(1)
    const last = seen.at(-1)!
    expect(last.method).toBe('POST')
    expect(last.headers['content-type']).toBe('application/json')
    expect(JSON.parse(last.body)).toMatchObject({ jsonrpc: '2.0', method: 'eth_blockNumber' })
  })

  test('behavior: status, headers and body come back as a response', async () => {
    const response = await keepAliveFetch(`${base}/rpc`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'yes' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'eth_chainId' }),
    })
    expect(response.status).toBe(200)
    expect(response.ok).toBe(true)
    expect(response.headers.get('Content-Type')).toBe('application/json')
    expect(response.headers.has('x-served-by')).toBe(true)
    const body = { jsonrpc: '2.0', id: 7, result: '0x29f8' }
    expect(await response.json()).toEqual(body)
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(
      new TextEncoder().encode(JSON.stringify(body)),
    )
    expect(seen.at(-1)!.headers['x-custom']).toBe('yes')
  })

  test('behavior: a redirect is followed the way fetch follows it', async () => {
    const response = await keepAliveFetch(`${base}/redirect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }),
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ result: '0x29f8' })
    expect(seen.at(-1)!.url).toBe('/rpc')
  })

  test('behavior: credentials in the URL become basic authorization', async () => {
    const url = new URL(`${base}/rpc`)
    url.username = 'alice'
    url.password = 's3cret'
    await keepAliveFetch(url, { method: 'POST', body: '{}' })
    expect(seen.at(-1)!.headers.authorization).toBe(
      `Basic ${Buffer.from('alice:s3cret').toString('base64')}`,
    )
  })

  test('error: an aborted request rejects with the signal reason', async () => {
    const controller = new AbortController()
    const pending = keepAliveFetch(`${base}/slow`, {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    })
    setTimeout(() => controller.abort(new Error('gave up')), 20)
    await expect(pending).rejects.toThrow('gave up')
  })

  test('error: a server error reaches viem as an HTTP error with its status', async () => {
    const client = createPublicClient({
      transport: keepAliveHttp(`${base}/broken`, { retryCount: 0 }),
    })
    const error = await client.getChainId().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(HttpRequestError)
    expect((error as HttpRequestError).status).toBe(500)
    expect((error as HttpRequestError).message).toContain('upstream is down')
  })

  test('error: an unreachable node fails the request', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    await expect(
      keepAliveFetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }),
    ).rejects.toThrow(/ECONNREFUSED/)
  })
})

describe('createHttpRpcBatch', () => {
  test('default: answers come back in request order, errors in place', async () => {
    const batch = createHttpRpcBatch(`${base}/batch`)
    expect(batch.url).toBe(`${base}/batch`)
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
    const error = await createHttpRpcBatch(`${base}/broken`)([{ method: 'a', params: [] }]).catch(
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(HttpRequestError)
    expect((error as HttpRequestError).status).toBe(500)
    expect((error as HttpRequestError).message).toContain('upstream is down')
  })

  test('error: a node that never answers is given up after the timeout', async () => {
    const started = Date.now()
    await expect(
      createHttpRpcBatch(`${base}/slow`, { timeoutMs: 50 })([{ method: 'a', params: [] }]),
    ).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
