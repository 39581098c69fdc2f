import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A route of the devnet's HTTP front; returns false when the request is not its own. */
export type Route = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => Promise<boolean> | boolean

// A request stream can be read once; routes that look at a body before passing the request on
// (admin JSON-RPC methods beside the chain's) share the one read.
const bodies = new WeakMap<IncomingMessage, Promise<string>>()

/** Reads a request body as text. Every route reading the same request gets the same text. */
export function readBody(request: IncomingMessage): Promise<string> {
  let body = bodies.get(request)
  if (!body) {
    // Events rather than the async iterator: every JSON-RPC request is read here, and the
    // iterator costs a promise per chunk.
    body = new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      request.on('error', reject)
    })
    bodies.set(request, body)
  }
  return body
}

/** Writes a JSON response. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  response.end(text)
}

/**
 * A request listener trying `routes` in order: 404 when none claims the request, 500 (or a
 * destroyed response, once headers went out) when one throws.
 *
 * @example
 * ```ts
 * const server = createServer(routeRequests([jsonRpcRoute], 'http://127.0.0.1'))
 * ```
 */
export function routeRequests(
  routes: readonly Route[],
  base: string,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    const url = new URL(request.url ?? '/', base)
    try {
      for (const route of routes) if (await route(request, response, url)) return
      sendJson(response, 404, { error: 'Not Found', path: url.pathname })
    } catch (error) {
      if (!response.headersSent) {
        sendJson(response, 500, {
          error: 'Internal Server Error',
          message: (error as Error).message,
        })
      } else response.destroy(error as Error)
    }
  }
}

/**
 * Starts the devnet's single HTTP front on 127.0.0.1: the routes are tried in order, the
 * first that claims a request answers it.
 *
 * @example
 * ```ts
 * const front = await startFront({ port: 8545, routes: [jsonRpcRoute] })
 * ```
 */
export async function startFront(parameters: {
  port: number
  routes: readonly Route[]
}): Promise<{ server: Server; port: number; url: string; close(): Promise<void> }> {
  const server = createServer(routeRequests(parameters.routes, 'http://127.0.0.1'))
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(parameters.port, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
