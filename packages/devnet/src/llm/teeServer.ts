// The devnet TEE's own HTTPS endpoint: what a client finds in the registry and pins.
import { createPublicKey } from 'node:crypto'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { type Route, routeRequests, sendJson } from '../front/server.js'
import type { TeeSigner } from './tee.js'

/**
 * The TEE's own routes beside the gateway's (llm.md §E3): `GET /health` and `GET /signing-key`,
 * the PEM public key that verifies `tee_signature` (its id in `x-tee-id`).
 *
 * @example
 * ```ts
 * const routes = [createTeeInfoRoute({ signer }), gateway.route]
 * ```
 */
export function createTeeInfoRoute(parameters: { signer: TeeSigner }): Route {
  const { signer } = parameters
  const publicKeyPem = createPublicKey({
    key: Buffer.from(signer.publicKeyDer),
    format: 'der',
    type: 'spki',
  }).export({ type: 'spki', format: 'pem' }) as string
  return (request, response, url) => {
    if (request.method !== 'GET') return false
    if (url.pathname === '/health') {
      sendJson(response, 200, { status: 'ok', tee_id: signer.teeId })
      return true
    }
    if (url.pathname === '/signing-key') {
      response.writeHead(200, {
        'content-type': 'application/x-pem-file',
        'content-length': Buffer.byteLength(publicKeyPem),
        'x-tee-id': signer.teeId,
      })
      response.end(publicKeyPem)
      return true
    }
    return false
  }
}

/** A running TEE endpoint. */
export type TeeServer = { server: Server; port: number; url: string; close(): Promise<void> }

/**
 * Serves routes over HTTPS on 127.0.0.1 with the given certificate; the first route that claims
 * a request answers it.
 *
 * @example
 * ```ts
 * const tee = await startTeeServer({ port: 0, certificatePem, privateKeyPem, routes })
 * tee.url // 'https://127.0.0.1:…'
 * ```
 */
export async function startTeeServer(parameters: {
  port: number
  certificatePem: string
  privateKeyPem: string
  routes: readonly Route[]
}): Promise<TeeServer> {
  const server = createServer(
    { cert: parameters.certificatePem, key: parameters.privateKeyPem },
    routeRequests(parameters.routes, 'https://127.0.0.1'),
  )
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(parameters.port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  return {
    server,
    port,
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Default port of the devnet TEE's HTTPS endpoint, beside the front's 8545. */
export const devnetTeeDefaultPort = 8546
