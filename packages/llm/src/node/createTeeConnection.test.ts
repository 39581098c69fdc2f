import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createServer as createTcpServer } from 'node:net'
import { ConnectionError, HttpError, NoActiveTeeError, TeeRegistryError } from '@opengradient/core'
import { createPublicClient, createWalletClient, http } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { devnetAdmin } from '../../../../test/devnetAdmin.js'
import {
  chatAnswer,
  closedPort,
  createTlsIdentity,
  deployTestRegistry,
  type HttpsTestServer,
  startHttpsServer,
  type TlsIdentity,
} from '../../test/tees.js'
import { createLlmClient } from '../client/createLlmClient.js'
import { sendGatewayRequest } from '../http/request.js'
import { ensureOpgApproval } from '../payments/ensureOpgApproval.js'
import { createTeeConnection } from './createTeeConnection.js'

let identityA: TlsIdentity
let identityB: TlsIdentity
let serverA: HttpsTestServer
let serverB: HttpsTestServer

beforeAll(async () => {
  ;[identityA, identityB] = await Promise.all([createTlsIdentity(), createTlsIdentity()])
  serverA = await startHttpsServer(identityA, (_, response) => chatAnswer(response, 'from A'))
  serverB = await startHttpsServer(identityB, (_, response) => chatAnswer(response, 'from B'))
})

/** A fresh registry listing A then B. */
async function registryWithAB() {
  const registry = await deployTestRegistry()
  const teeA = await registry.register({
    endpoint: serverA.url,
    tlsCertificate: identityA.certificateDer,
  })
  const teeB = await registry.register({
    endpoint: serverB.url,
    tlsCertificate: identityB.certificateDer,
  })
  return { registry, teeA, teeB }
}

/** A JSON-RPC front to anvil that counts calls and can be switched off. */
async function startRpcProxy(target: string) {
  const state = { calls: 0, down: false, url: '' }
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    state.calls++
    if (state.down) {
      response.writeHead(503)
      response.end()
      return
    }
    const answer = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat(chunks),
    })
    response.writeHead(answer.status, { 'content-type': 'application/json' })
    response.end(await answer.text())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  cleanups.push(() => {
    server.closeAllConnections()
    server.close()
  })
  return state
}
const cleanups: (() => void)[] = []
afterAll(() => {
  for (const cleanup of cleanups) cleanup()
})

function messagesLog() {
  const info: string[] = []
  const warn: string[] = []
  return {
    info,
    warn,
    logger: { info: (m: string) => info.push(m), warn: (m: string) => warn.push(m) },
  }
}

describe('createTeeConnection', () => {
  test('default', async () => {
    const { registry, teeA } = await registryWithAB()
    const connection = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
      random: () => 0,
    })
    const tee = await connection.current()
    expect(tee).toMatchObject({
      teeId: teeA,
      endpoint: serverA.url,
      tlsCertificate: `0x${Buffer.from(identityA.certificateDer).toString('hex')}`,
      pinned: true,
    })
    expect(tee.publicKey).toMatch(/^0x[0-9a-f]+$/)
    expect(tee.paymentAddress).toMatch(/^0x[0-9a-fA-F]{40}$/)
    expect(await (await tee.fetch(`${tee.endpoint}/v1/chat/completions`)).json()).toMatchObject({
      choices: [{ message: { content: 'from A' } }],
    })
    // Resolved once: the same TEE until something happens.
    expect(await connection.current()).toBe(tee)
    expect(connection.pinned).toBe(true)
    expect(connection.registryAddress).toBe(registry.address)
    connection.close()
  })

  test('args: random', async () => {
    const { registry, teeB } = await registryWithAB()
    const connection = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
      random: () => 0.99,
    })
    expect((await connection.current()).teeId).toBe(teeB)
    connection.close()
  })

  test('args: teeId (any case, with or without 0x)', async () => {
    const { registry, teeB } = await registryWithAB()
    const connection = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
      teeId: teeB.slice(2).toUpperCase(),
      random: () => 0,
    })
    expect((await connection.current()).teeId).toBe(teeB)
    connection.close()
  })

  test('behavior: a TEE pinned to one certificate does not answer with another', async () => {
    const registry = await deployTestRegistry()
    // B's address with A's certificate: the registry says A's certificate, B presents its own.
    await registry.register({ endpoint: serverB.url, tlsCertificate: identityA.certificateDer })
    const connection = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
    })
    const tee = await connection.current()
    const before = serverB.requests.length
    const error = await tee.fetch(`${tee.endpoint}/v1/chat/completions`).catch((e) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.requestSent).toBe(false)
    expect(serverB.requests.length).toBe(before)
    connection.close()
  })

  test('behavior: the refresh loop moves off a TEE that leaves the registry', async () => {
    const { registry, teeA, teeB } = await registryWithAB()
    const log = messagesLog()
    const connection = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
      refreshInterval: 50,
      random: () => 0,
      logger: log.logger,
    })
    expect((await connection.current()).teeId).toBe(teeA)
    await registry.setEnabled(teeA, false)
    await expect
      .poll(async () => (await connection.current()).teeId, { timeout: 10_000 })
      .toBe(teeB)
    expect(log.info).toEqual([`Moved from TEE ${teeA} to TEE ${teeB}.`])
    connection.close()
  })

  test('behavior: a TEE still listed is kept by refreshes', async () => {
    const { registry, teeA } = await registryWithAB()
    const connection = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
      random: () => 0,
    })
    const tee = await connection.current()
    expect(tee.teeId).toBe(teeA)
    expect(await connection.refresh()).toBe(tee)
    connection.close()
  })

  test('behavior: a failed refresh keeps the current TEE', async () => {
    const { registry, teeA } = await registryWithAB()
    const proxy = await startRpcProxy(testDevnet().anvilUrl)
    const log = messagesLog()
    const connection = createTeeConnection({
      publicClient: createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) }),
      registryAddress: registry.address,
      random: () => 0,
      logger: log.logger,
    })
    const tee = await connection.current()
    proxy.down = true
    await registry.setEnabled(teeA, false)
    expect(await connection.refresh()).toBe(tee)
    expect(log.warn).toEqual(['The TEE registry could not be read; keeping the current TEE.'])
    proxy.down = false
    expect((await connection.refresh())?.teeId).not.toBe(teeA)
    connection.close()
  })

  test('behavior: reconnect moves off the failed TEE once for simultaneous failures', async () => {
    const { registry, teeA, teeB } = await registryWithAB()
    const proxy = await startRpcProxy(testDevnet().anvilUrl)
    const log = messagesLog()
    const connection = createTeeConnection({
      publicClient: createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) }),
      registryAddress: registry.address,
      random: () => 0,
      logger: log.logger,
    })
    const failed = await connection.current()
    expect(failed.teeId).toBe(teeA)
    const callsBefore = proxy.calls
    const [first, second] = await Promise.all([
      connection.reconnect({ replacing: failed }),
      connection.reconnect({ replacing: failed }),
    ])
    // `random` says "the first", but the failed TEE is avoided while another is listed.
    expect(first.teeId).toBe(teeB)
    expect(second).toBe(first)
    expect(proxy.calls - callsBefore).toBe(1)
    expect(log.info).toHaveLength(1)
    connection.close()
  })

  test('behavior: close stops the loop; the next use resolves again', async () => {
    const { registry } = await registryWithAB()
    const proxy = await startRpcProxy(testDevnet().anvilUrl)
    const connection = createTeeConnection({
      publicClient: createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) }),
      registryAddress: registry.address,
      refreshInterval: 20,
    })
    await connection.current()
    connection.close()
    const calls = proxy.calls
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(proxy.calls).toBe(calls)
    await connection.current()
    expect(proxy.calls).toBe(calls + 1)
    connection.close()
  })

  test('behavior: transportFor routes URLs under a resolved endpoint only', async () => {
    const { registry } = await registryWithAB()
    const connection = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
      random: () => 0,
    })
    expect(connection.transportFor(`${serverA.url}/v1/chat/completions`)).toBeUndefined()
    const tee = await connection.current()
    expect(connection.transportFor(`${serverA.url}/v1/chat/completions`)).toBe(tee.fetch)
    expect(connection.transportFor(serverA.url)).toBe(tee.fetch)
    expect(connection.transportFor(`${serverA.url}0/v1`)).toBeUndefined()
    expect(connection.transportFor('https://example.com/a.png')).toBeUndefined()
    connection.close()
  })

  test('error: the selected TEE is not active', async () => {
    const { registry, teeA } = await registryWithAB()
    await registry.setEnabled(teeA, false)
    const connection = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
      teeId: teeA,
    })
    const error = await connection.current().catch((e) => e)
    expect(error).toBeInstanceOf(NoActiveTeeError)
    expect(error.teeId).toBe(teeA)
    expect(error.shortMessage.replace(teeA, '<teeId>')).toMatchInlineSnapshot(
      `"Selected TEE is not active in the registry: "<teeId>"."`,
    )
  })

  test('error: no active TEE', async () => {
    const registry = await deployTestRegistry()
    const connection = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
    })
    const error = await connection.current().catch((e) => e)
    expect(error).toBeInstanceOf(NoActiveTeeError)
    expect(error.shortMessage).toMatchInlineSnapshot(
      `"No active LLM proxy TEE was found in the registry."`,
    )
  })

  test('error: the registry is unreachable', async () => {
    const connection = createTeeConnection({
      publicClient: createPublicClient({
        transport: http(`http://127.0.0.1:${await closedPort()}`, { retryCount: 0 }),
      }),
    })
    await expect(connection.current()).rejects.toBeInstanceOf(TeeRegistryError)
  })
})

/** A TCP server that accepts connections and drops them at once (before TLS). */
async function startDroppingServer() {
  const state = { connections: 0, url: '' }
  const server = createTcpServer((socket: Socket) => {
    state.connections++
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  cleanups.push(() => server.close())
  return state
}

const messages = [{ role: 'user' as const, content: 'Hello' }]

describe('createLlmClient with a TEE connection', () => {
  test('default', async () => {
    const { registry, teeA } = await registryWithAB()
    const tee = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
      random: () => 0,
    })
    const client = createLlmClient({ tee })
    expect(client.tee).toBe(tee)
    const before = serverA.requests.length
    const reply = await client.chat({ model: 'devnet/tiny', messages })
    expect(reply.message.content).toBe('from A')
    expect(reply.tee.endpoint).toBe(serverA.url)
    expect(serverA.requests.slice(before).map((request) => request.path)).toEqual([
      '/v1/chat/completions',
    ])

    const request = await sendGatewayRequest(client, {
      path: '/v1/completions',
      body: { model: 'tiny', prompt: 'x' },
      settlementMode: 'batch',
      stream: false,
      operation: 'completion',
    })
    await request.response.text()
    request.release()
    expect(request.url).toBe(`${serverA.url}/v1/completions`)
    expect(request.tee?.teeId).toBe(teeA)
    expect(request.tee?.publicKey).toBe((await tee.current()).publicKey)
    tee.close()
  })

  test('behavior: a refused connection reconnects and retries exactly once', async () => {
    const registry = await deployTestRegistry()
    const dead = await registry.register({
      endpoint: `https://127.0.0.1:${await closedPort()}`,
      tlsCertificate: identityA.certificateDer,
    })
    const live = await registry.register({
      endpoint: serverB.url,
      tlsCertificate: identityB.certificateDer,
    })
    const log = messagesLog()
    const tee = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
      random: () => 0,
      logger: log.logger,
    })
    const before = serverB.requests.length
    const reply = await createLlmClient({ tee }).chat({ model: 'devnet/tiny', messages })
    expect(reply.message.content).toBe('from B')
    expect(serverB.requests.length - before).toBe(1)
    expect(log.info).toEqual([`Moved from TEE ${dead} to TEE ${live}.`])
    tee.close()
  })

  test('behavior: a second failure before sending is not retried again', async () => {
    const [first, second] = await Promise.all([startDroppingServer(), startDroppingServer()])
    const registry = await deployTestRegistry()
    await registry.register({ endpoint: first.url, tlsCertificate: identityA.certificateDer })
    await registry.register({ endpoint: second.url, tlsCertificate: identityB.certificateDer })
    const tee = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
    })
    const error = await createLlmClient({ tee, retryCount: 5 })
      .chat({ model: 'devnet/tiny', messages })
      .catch((e) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect(error.shortMessage).toMatchInlineSnapshot(`"The TEE could not be reached for chat."`)
    expect(error.walk((e: unknown) => e instanceof ConnectionError)).toMatchObject({
      requestSent: false,
    })
    expect(first.connections + second.connections).toBe(2)
    expect(first.connections).toBe(1)
    tee.close()
  })

  test('behavior: retryCount 0 turns the retry off', async () => {
    const registry = await deployTestRegistry()
    await registry.register({
      endpoint: `https://127.0.0.1:${await closedPort()}`,
      tlsCertificate: identityA.certificateDer,
    })
    await registry.register({ endpoint: serverB.url, tlsCertificate: identityB.certificateDer })
    const tee = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
      random: () => 0,
    })
    const before = serverB.requests.length
    await expect(
      createLlmClient({ tee, retryCount: 0 }).chat({ model: 'devnet/tiny', messages }),
    ).rejects.toBeInstanceOf(HttpError)
    expect(serverB.requests.length).toBe(before)
    tee.close()
  })

  test('behavior: an HTTP error is not retried', async () => {
    const failing = await startHttpsServer(identityA, (_, response) => {
      response.writeHead(500, { 'content-type': 'application/json' })
      response.end('{"error":"boom"}')
    })
    const registry = await deployTestRegistry()
    await registry.register({ endpoint: failing.url, tlsCertificate: identityA.certificateDer })
    await registry.register({ endpoint: serverB.url, tlsCertificate: identityB.certificateDer })
    const log = messagesLog()
    const tee = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
      random: () => 0,
      logger: log.logger,
    })
    const before = serverB.requests.length
    const error = await createLlmClient({ tee })
      .chat({ model: 'devnet/tiny', messages })
      .catch((e) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect(error.status).toBe(500)
    expect(failing.requests).toHaveLength(1)
    expect(serverB.requests.length).toBe(before)
    expect(log.info).toEqual([])
    tee.close()
  })

  test('behavior: a failure after sending is not retried', async () => {
    const dying = await startHttpsServer(identityA, (request) => {
      request.socket.destroy()
    })
    const registry = await deployTestRegistry()
    await registry.register({ endpoint: dying.url, tlsCertificate: identityA.certificateDer })
    await registry.register({ endpoint: serverB.url, tlsCertificate: identityB.certificateDer })
    const tee = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
      random: () => 0,
    })
    const before = serverB.requests.length
    const error = await createLlmClient({ tee })
      .chat({ model: 'devnet/tiny', messages })
      .catch((e) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect(error.walk((e: unknown) => e instanceof ConnectionError)).toMatchObject({
      requestSent: true,
    })
    expect(dying.requests).toHaveLength(1)
    expect(serverB.requests.length).toBe(before)
    tee.close()
  })

  test('behavior: a cancelled call is not retried', async () => {
    const silent = await startHttpsServer(identityA, () => {})
    const registry = await deployTestRegistry()
    await registry.register({ endpoint: silent.url, tlsCertificate: identityA.certificateDer })
    await registry.register({ endpoint: serverB.url, tlsCertificate: identityB.certificateDer })
    const tee = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
      random: () => 0,
    })
    const controller = new AbortController()
    const before = serverB.requests.length
    const pending = createLlmClient({ tee }).chat({
      model: 'devnet/tiny',
      messages,
      signal: controller.signal,
    })
    await expect.poll(() => silent.requests.length).toBe(1)
    const reason = new Error('user left')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    expect(serverB.requests.length).toBe(before)
    tee.close()
  })

  test('behavior: streams through the pinned connection', async () => {
    const streaming = await startHttpsServer(identityA, (_, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`
      response.write(
        event({ choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' } }] }),
      )
      response.write(
        event({
          choices: [{ index: 0, delta: { content: ' there' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
        }),
      )
      response.end('data: [DONE]\n\n')
    })
    const registry = await deployTestRegistry()
    await registry.register({ endpoint: streaming.url, tlsCertificate: identityA.certificateDer })
    const tee = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
    })
    const stream = await createLlmClient({ tee }).chat({
      model: 'devnet/tiny',
      messages,
      stream: true,
    })
    let text = ''
    for await (const chunk of stream) text += chunk.delta.content ?? ''
    expect(text).toBe('Hi there')
    tee.close()
  })

  test('error: no active TEE', async () => {
    const registry = await deployTestRegistry()
    const tee = createTeeConnection({
      publicClient: registry.publicClient,
      registryAddress: registry.address,
    })
    await expect(
      createLlmClient({ tee }).chat({ model: 'devnet/tiny', messages }),
    ).rejects.toBeInstanceOf(NoActiveTeeError)
  })
})

describe('devnet TEE', () => {
  const devMnemonic = 'test test test test test test test test test test test junk'
  const devnetPublicClient = () => {
    const { chain, rpcUrl } = testDevnet()
    return createPublicClient({ chain, transport: http(rpcUrl) })
  }

  test('behavior: discovers the devnet TEE in its registry and chats through the pinned connection', async () => {
    const tee = createTeeConnection({ publicClient: devnetPublicClient(), random: () => 0 })
    const resolved = await tee.current()
    expect(resolved.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(resolved.pinned).toBe(true)
    const health = await (await resolved.fetch(`${resolved.endpoint}/health`)).json()
    expect(health).toEqual({ status: 'ok', tee_id: resolved.teeId })

    // The devnet TEE takes x402 payments in the devnet's OPG, through Permit2.
    const { chain, rpcUrl } = testDevnet()
    const account = mnemonicToAccount(devMnemonic, { addressIndex: 7 })
    await ensureOpgApproval(createWalletClient({ account, chain, transport: http(rpcUrl) }), {
      minAllowance: '1',
      pollingInterval: 50,
    })
    const client = createLlmClient({ tee, account, payment: { network: `eip155:${chain.id}` } })
    // Verified with the key the registry lists for this TEE.
    const reply = await client.chat({ model: 'devnet/tiny', messages, maxTokens: 8, verify: true })
    expect(reply.tee.teeId).toBe(resolved.teeId)
    expect(reply.tee.endpoint).toBe(resolved.endpoint)
    expect(reply.tee.verified).toBe(true)
    expect(reply.settlement.payment?.payTo.toLowerCase()).toBe(
      resolved.paymentAddress.toLowerCase(),
    )
    const { text } = await client.completion({
      model: 'devnet/tiny',
      prompt: 'The river',
      maxTokens: 4,
    })
    expect(text).toBeTypeOf('string')
    tee.close()
  })

  test('behavior: a TEE removed from the registry is no longer used after a refresh', async () => {
    const { rpcUrl } = testDevnet()
    const log = messagesLog()
    const tee = createTeeConnection({
      publicClient: devnetPublicClient(),
      random: () => 0,
      logger: log.logger,
    })
    const devnetTee = await tee.current()
    const extra = await devnetAdmin<{ teeId: `0x${string}` }>(rpcUrl, 'og_registerTee', {
      endpoint: serverB.url,
      publicKey: `0x${Buffer.from('extra test tee').toString('hex')}`,
      tlsCertificate: `0x${Buffer.from(identityB.certificateDer).toString('hex')}`,
    })
    let failure: unknown
    try {
      await devnetAdmin(rpcUrl, 'og_setTeeEnabled', { teeId: devnetTee.teeId, enabled: false })
      const moved = await tee.refresh()
      expect(moved?.teeId).toBe(extra.teeId)
      expect(log.info).toEqual([`Moved from TEE ${devnetTee.teeId} to TEE ${extra.teeId}.`])
      const before = serverB.requests.length
      const reply = await createLlmClient({ tee }).chat({ model: 'devnet/tiny', messages })
      expect(reply.message.content).toBe('from B')
      expect(serverB.requests.length - before).toBe(1)
    } catch (error) {
      failure = error
    }
    // The worker's later tests share this registry: put it back as it was.
    const restored = await Promise.allSettled([
      devnetAdmin(rpcUrl, 'og_setTeeEnabled', { teeId: devnetTee.teeId, enabled: true }),
      devnetAdmin(rpcUrl, 'og_setTeeEnabled', { teeId: extra.teeId, enabled: false }),
    ])
    tee.close()
    if (failure) throw failure
    for (const result of restored) if (result.status === 'rejected') throw result.reason
  })
})
