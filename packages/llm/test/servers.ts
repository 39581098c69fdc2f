// Small local HTTP servers for the client's tests: fixed answers, recorded requests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll } from 'vitest'
import { testDevnet } from '../../../test/devnet.js'
import { createLlmClient, type LlmClientConfig } from '../src/client/createLlmClient.js'

export type RecordedRequest = {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: string
}

export type TestServer = { url: string; requests: RecordedRequest[]; close(): Promise<void> }

const servers: TestServer[] = []
afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

/** Starts a server on a free port; closed after the test file. */
export async function startTestServer(
  handler: (request: RecordedRequest, response: ServerResponse) => void | Promise<void>,
): Promise<TestServer> {
  const requests: RecordedRequest[] = []
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const recorded = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    }
    requests.push(recorded)
    await handler(recorded, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const testServer: TestServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  servers.push(testServer)
  return testServer
}

/** Writes JSON. */
export function json(response: ServerResponse, status: number, body: unknown, headers = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers })
  response.end(typeof body === 'string' ? body : JSON.stringify(body))
}

/** Writes an event stream from raw event texts. */
export function sse(response: ServerResponse, events: readonly string[], headers = {}) {
  response.writeHead(200, { 'content-type': 'text/event-stream', ...headers })
  for (const event of events) response.write(event)
  response.end()
}

/** A client of this worker's devnet gateway. */
export function devnetLlmClient(config: LlmClientConfig = {}) {
  return createLlmClient({ baseUrl: testDevnet().rpcUrl, ...config })
}
