// TEE stand-ins for the connection tests: HTTPS servers with their own certificates, and a TEE
// registry of our contract deployed for one test file on the worker's devnet.
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer, type Server } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { teeRegistryAbi, teeRegistryDeployedBytecode } from '@opengradient/contracts'
import { createSelfSignedCertificate } from '@opengradient/devnet'
import {
  type Address,
  bytesToHex,
  createPublicClient,
  createTestClient,
  type Hex,
  http,
  keccak256,
  publicActions,
  walletActions,
  zeroHash,
} from 'viem'
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { afterAll } from 'vitest'
import { testDevnet } from '../../../test/devnet.js'

export type TlsIdentity = {
  certificatePem: string
  privateKeyPem: string
  certificateDer: Uint8Array
}

export type HttpsTestServer = {
  url: string
  port: number
  /** Requests that reached the handler: method, path and body. */
  requests: { method: string; path: string; body: string }[]
  /** TCP connections accepted so far. */
  connections: number
  /** Connections closed so far. */
  closedConnections: number
  close(): Promise<void>
}

const closers: (() => Promise<void>)[] = []
afterAll(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** A self-signed identity for 127.0.0.1 / localhost (created once per call, RSA-2048). */
export function createTlsIdentity(): Promise<TlsIdentity> {
  return createSelfSignedCertificate()
}

/** Starts an HTTPS server on 127.0.0.1 with the identity; closed after the test file. */
export async function startHttpsServer(
  identity: { certificatePem: string; privateKeyPem: string },
  handler: (
    request: IncomingMessage & { body: string },
    response: ServerResponse,
  ) => void | Promise<void>,
): Promise<HttpsTestServer> {
  const sockets = new Set<Socket>()
  const server: Server = createServer(
    { cert: identity.certificatePem, key: identity.privateKeyPem },
    async (request, response) => {
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      const body = Buffer.concat(chunks).toString('utf8')
      testServer.requests.push({ method: request.method ?? 'GET', path: request.url ?? '/', body })
      await handler(Object.assign(request, { body }), response)
    },
  )
  server.on('connection', (socket: Socket) => {
    testServer.connections++
    sockets.add(socket)
    socket.on('close', () => {
      testServer.closedConnections++
      sockets.delete(socket)
    })
  })
  // TLS failures are the client's business in these tests.
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  let closed: Promise<void> | undefined
  const testServer: HttpsTestServer = {
    url: `https://127.0.0.1:${port}`,
    port,
    requests: [],
    connections: 0,
    closedConnections: 0,
    close() {
      closed ??= new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
      return closed
    },
  }
  closers.push(() => testServer.close())
  return testServer
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const { createServer: createTcpServer } = await import('node:net')
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Answers a chat completion the way the gateway does (no TEE signature). */
export function chatAnswer(response: ServerResponse, content: string, teeId: Hex = zeroHash) {
  const body = JSON.stringify({
    id: 'chatcmpl-test',
    object: 'chat.completion',
    model: 'tiny',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    tee_id: teeId,
  })
  response.writeHead(200, { 'content-type': 'application/json' })
  response.end(body)
}

export type TestRegistry = {
  address: Address
  /** A public client of the devnet chain, reading through anvil. */
  publicClient: ReturnType<typeof createPublicClient>
  /** Lists a TEE (LLM proxy unless said otherwise); returns its id. */
  register(parameters: {
    endpoint: string
    tlsCertificate: Hex | Uint8Array
    publicKey?: Hex | undefined
    teeType?: number | undefined
  }): Promise<Hex>
  setEnabled(teeId: Hex, enabled: boolean): Promise<void>
}

/**
 * Installs our TEE registry at a fresh address on this worker's devnet, owned by a fresh
 * impersonated account, so tests list their own TEEs without touching the devnet's registry.
 */
export async function deployTestRegistry(): Promise<TestRegistry> {
  const { anvilUrl, chain } = testDevnet()
  const anvil = createTestClient({
    mode: 'anvil',
    chain,
    transport: http(anvilUrl),
    pollingInterval: 20,
  })
    .extend(publicActions)
    .extend(walletActions)
  const address = privateKeyToAddress(generatePrivateKey())
  const operator = privateKeyToAddress(generatePrivateKey())
  await anvil.setCode({ address, bytecode: teeRegistryDeployedBytecode })
  await anvil.impersonateAccount({ address: operator })
  await anvil.setBalance({ address: operator, value: 10n ** 18n })

  const send = async (data: { functionName: string; args: readonly unknown[] }) => {
    const hash = await anvil.writeContract({
      address,
      abi: teeRegistryAbi,
      account: operator,
      chain,
      ...(data as { functionName: 'initialize'; args: readonly [Address] }),
    })
    const receipt = await anvil.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new Error(`${data.functionName} reverted`)
  }
  await send({ functionName: 'initialize', args: [operator] })

  return {
    address,
    publicClient: createPublicClient({ chain, transport: http(anvilUrl) }),
    async register(parameters) {
      const publicKey = parameters.publicKey ?? bytesToHex(randomBytes(96))
      const tlsCertificate =
        typeof parameters.tlsCertificate === 'string'
          ? parameters.tlsCertificate
          : bytesToHex(parameters.tlsCertificate)
      await send({
        functionName: 'registerTEE',
        args: [
          parameters.teeType ?? 0,
          parameters.endpoint,
          publicKey,
          tlsCertificate,
          privateKeyToAddress(generatePrivateKey()),
          zeroHash,
        ],
      })
      return keccak256(publicKey)
    },
    async setEnabled(teeId, enabled) {
      await send({ functionName: 'setTEEEnabled', args: [teeId, enabled] })
    },
  }
}
