// Accounts and clients for tests against the worker's devnet, and small local servers.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { addHubUser } from '@opengradient/devnet'
import { afterEach } from 'vitest'
import { testDevnet } from '../../../test/devnet.js'
import { createHubClient, type HubClientConfig } from '../src/exports/index.js'

export const testPassword = 'correct horse battery'

/** A new account on the worker's devnet hub. */
export async function createTestUser(options: { tokenLifetime?: number | undefined } = {}) {
  const email = `user-${randomUUID()}@example.com`
  await addHubUser({
    dataDir: testDevnet().dataDir,
    email,
    password: testPassword,
    tokenLifetime: options.tokenLifetime,
  })
  return { email, password: testPassword }
}

/** A client of the worker's devnet hub, signed out. */
export function createTestHubClient(config: HubClientConfig = {}) {
  const { opengradient } = testDevnet().chain
  return createHubClient({
    baseUrl: opengradient.hubApiUrl,
    authUrl: opengradient.hubAuthUrl,
    gatewayUrl: opengradient.ipfsGatewayUrl,
    retryDelay: 10,
    ...config,
  })
}

/** A client signed in as a new account. */
export async function createSignedInClient(
  config: HubClientConfig & { tokenLifetime?: number | undefined } = {},
) {
  const { tokenLifetime, ...rest } = config
  const user = await createTestUser({ tokenLifetime })
  const client = createTestHubClient(rest)
  await client.login(user)
  return { client, user }
}

/** A unique repository name. */
export function uniqueName(prefix = 'model'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`
}

const servers: Server[] = []

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** A local HTTP server on 127.0.0.1, closed after the test; returns its URL. */
export async function startServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void | Promise<void>,
): Promise<string> {
  const server = createServer((request, response) => {
    void Promise.resolve(handler(request, response)).catch(() => response.destroy())
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** Reads a request body. */
export async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}
