import { createPrivateKey } from 'node:crypto'
import { createServer as createTcpServer, type Socket } from 'node:net'
import { ConnectionError } from '@opengradient/core'
import { createSelfSignedCertificate } from '@opengradient/devnet'
import { bytesToHex } from 'viem'
import { beforeAll, describe, expect, test } from 'vitest'
import { issueCertificate } from '../../test/certificates.js'
import {
  closedPort,
  createTlsIdentity,
  type HttpsTestServer,
  startHttpsServer,
  type TlsIdentity,
} from '../../test/tees.js'
import { createPinnedFetch } from './createPinnedFetch.js'

let identity: TlsIdentity
let server: HttpsTestServer

beforeAll(async () => {
  identity = await createTlsIdentity()
  server = await startHttpsServer(identity, (request, response) => {
    if (request.url === '/echo') {
      response.writeHead(201, { 'content-type': 'application/json', 'x-echo': 'yes' })
      response.end(
        JSON.stringify({
          method: request.method,
          body: request.body,
          contentType: request.headers['content-type'],
          custom: request.headers['x-custom'],
        }),
      )
      return
    }
    if (request.url === '/empty') {
      response.writeHead(204)
      response.end()
      return
    }
    response.writeHead(200, { 'content-type': 'text/plain' })
    response.end('hello')
  })
})

describe('createPinnedFetch', () => {
  test('default', async () => {
    const fetch = createPinnedFetch({ certificate: identity.certificateDer })
    const response = await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-custom': 'value' },
      body: JSON.stringify({ question: 'river' }),
    })
    expect(response.status).toBe(201)
    expect(response.ok).toBe(true)
    expect(response.headers.get('x-echo')).toBe('yes')
    expect(response.url).toBe(`${server.url}/echo`)
    expect(await response.json()).toEqual({
      method: 'POST',
      body: '{"question":"river"}',
      contentType: 'application/json',
      custom: 'value',
    })
    expect(fetch.certificate).toBe(bytesToHex(identity.certificateDer))
    fetch.close()
  })

  test('args: certificate as hex, a Request as input', async () => {
    const fetch = createPinnedFetch({ certificate: bytesToHex(identity.certificateDer) })
    const response = await fetch(new Request(`${server.url}/hello`))
    expect(await response.text()).toBe('hello')
    const empty = await fetch(`${server.url}/empty`)
    expect(empty.status).toBe(204)
    expect(empty.body).toBe(null)
    fetch.close()
  })

  test('behavior: keeps the connection alive between requests', async () => {
    const fetch = createPinnedFetch({ certificate: identity.certificateDer })
    const before = server.connections
    for (let index = 0; index < 3; index++) {
      expect(await (await fetch(`${server.url}/hello`)).text()).toBe('hello')
    }
    expect(server.connections - before).toBe(1)
    fetch.close()
  })

  test('args: keepAlive: false opens a connection per request', async () => {
    const fetch = createPinnedFetch({ certificate: identity.certificateDer, keepAlive: false })
    const before = server.connections
    for (let index = 0; index < 2; index++) await (await fetch(`${server.url}/hello`)).text()
    expect(server.connections - before).toBe(2)
  })

  test('behavior: streams the body as it arrives', async () => {
    let release: () => void = () => {}
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    const streaming = await startHttpsServer(identity, async (_, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.write('data: first\n\n')
      await released
      response.end('data: second\n\n')
    })
    const fetch = createPinnedFetch({ certificate: identity.certificateDer })
    const response = await fetch(streaming.url)
    const reader = response.body!.getReader()
    const first = await reader.read()
    // The server holds the rest back until the first chunk was read here.
    expect(new TextDecoder().decode(first.value)).toBe('data: first\n\n')
    release()
    let rest = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += new TextDecoder().decode(chunk.value)
    }
    expect(rest).toBe('data: second\n\n')
    fetch.close()
  })

  test('behavior: cancelling the body closes the connection', async () => {
    const streaming = await startHttpsServer(identity, (_, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.write('data: first\n\n')
      // Never ends on its own.
    })
    const fetch = createPinnedFetch({ certificate: identity.certificateDer })
    const response = await fetch(streaming.url)
    const reader = response.body!.getReader()
    await reader.read()
    await reader.cancel()
    await expect.poll(() => streaming.closedConnections).toBe(1)
    fetch.close()
  })

  test('behavior: aborting before the answer rejects with the reason and closes the connection', async () => {
    const slow = await startHttpsServer(identity, () => {
      // Never answers.
    })
    const fetch = createPinnedFetch({ certificate: identity.certificateDer })
    const controller = new AbortController()
    const pending = fetch(`${slow.url}/x`, {
      method: 'POST',
      body: 'hi',
      signal: controller.signal,
    })
    await expect.poll(() => slow.requests.length).toBe(1)
    const reason = new Error('stop')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    await expect.poll(() => slow.closedConnections).toBe(1)
  })

  test('behavior: aborting while the body is read errors the body', async () => {
    const streaming = await startHttpsServer(identity, (_, response) => {
      response.writeHead(200)
      response.write('partial')
    })
    const fetch = createPinnedFetch({ certificate: identity.certificateDer })
    const controller = new AbortController()
    const response = await fetch(streaming.url, { signal: controller.signal })
    const reader = response.body!.getReader()
    await reader.read()
    controller.abort(new Error('enough'))
    await expect(reader.read()).rejects.toThrow('enough')
    await expect.poll(() => streaming.closedConnections).toBe(1)
  })

  test('behavior: an aborted signal sends nothing', async () => {
    const fetch = createPinnedFetch({ certificate: identity.certificateDer })
    const before = server.connections
    await expect(
      fetch(`${server.url}/hello`, { signal: AbortSignal.abort(new Error('early')) }),
    ).rejects.toThrow('early')
    expect(server.connections).toBe(before)
  })

  test('error: another certificate for the same host is refused before sending', async () => {
    const impostorIdentity = await createSelfSignedCertificate()
    const impostor = await startHttpsServer(impostorIdentity, (_, response) => {
      response.end('should not be reached')
    })
    const fetch = createPinnedFetch({ certificate: identity.certificateDer })
    const error = await fetch(`${impostor.url}/v1/chat/completions`, {
      method: 'POST',
      body: '{}',
    }).catch((e) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.requestSent).toBe(false)
    expect(error.reason).toBe('tls')
    expect(impostor.requests).toEqual([])
  })

  test('error: a certificate the pinned one issued is not the pinned one', async () => {
    // The pinned certificate is a CA, so the chain of this leaf validates: only the exact
    // comparison refuses it.
    const leaf = issueCertificate({
      issuerCommonName: 'localhost',
      issuerKey: createPrivateKey(identity.privateKeyPem),
    })
    const issued = await startHttpsServer(leaf, (_, response) => {
      response.end('should not be reached')
    })
    const fetch = createPinnedFetch({ certificate: identity.certificateDer })
    const error = await fetch(`${issued.url}/v1/chat/completions`, {
      method: 'POST',
      body: '{}',
    }).catch((e) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.reason).toBe('certificate-mismatch')
    expect(error.requestSent).toBe(false)
    expect(error.shortMessage.replace(issued.url, '<tee>')).toMatchInlineSnapshot(
      `"The request to <tee> failed before it was sent: the server certificate is not the pinned one."`,
    )
    expect(issued.requests).toEqual([])
    await expect.poll(() => issued.closedConnections).toBe(1)
  })

  test('error: connection refused', async () => {
    const port = await closedPort()
    const fetch = createPinnedFetch({ certificate: identity.certificateDer })
    const error = await fetch(`https://127.0.0.1:${port}/`).catch((e) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error).toMatchObject({ reason: 'refused', requestSent: false, code: 'ECONNREFUSED' })
  })

  test('error: connect timeout', async () => {
    // Accepts TCP connections and never speaks TLS.
    const sockets: Socket[] = []
    const silent = createTcpServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const { port } = silent.address() as { port: number }
    const fetch = createPinnedFetch({ certificate: identity.certificateDer, connectTimeout: 200 })
    const error = await fetch(`https://127.0.0.1:${port}/`).catch((e) => e)
    expect(error).toMatchObject({ name: 'ConnectionError', reason: 'timeout', requestSent: false })
    for (const socket of sockets) socket.destroy()
    silent.close()
  })

  test('error: the connection dies after the request was sent', async () => {
    const dying = await startHttpsServer(identity, (request) => {
      request.socket.destroy()
    })
    const fetch = createPinnedFetch({ certificate: identity.certificateDer })
    const error = await fetch(dying.url, { method: 'POST', body: 'paid' }).catch((e) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.requestSent).toBe(true)
    expect(dying.requests).toHaveLength(1)
  })

  test('error: only https', async () => {
    const fetch = createPinnedFetch({ certificate: identity.certificateDer })
    await expect(fetch('http://127.0.0.1:1/')).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: A pinned fetch only speaks https, got "http://127.0.0.1:1".]`,
    )
  })

  test('error: empty certificate', () => {
    expect(() => createPinnedFetch({ certificate: '0x' })).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: "certificate" is empty.]`,
    )
  })
})
