// The devnet's Model Hub: the REST API, a Firebase-compatible sign-in service and an IPFS
// gateway, all on the devnet's front.
import { join } from 'node:path'
import type { Route } from '../front/server.js'
import type { DevnetServiceFactory } from '../service.js'
import { createHubApiRoute, hubApiPrefix } from './api.js'
import { createFirebaseAuthRoute, firebaseAuthPrefix } from './auth.js'
import { createIpfsGatewayRoute, ipfsGatewayPrefix } from './gateway.js'
import { openHubRegistry } from './registry.js'
import { createTokenIssuer, loadTokenSecret } from './tokens.js'

export type CreateHubServiceParameters = {
  /**
   * Seconds the ID tokens of the sign-in service live, for accounts without their own
   * lifetime (`og devnet users add --token-lifetime`).
   * @default 3600
   */
  tokenLifetime?: number | undefined
}

/**
 * The devnet's Model Hub service. Its state lives in `<dataDir>/hub/`:
 *
 * - `journal.jsonl`: repositories, versions and files, one JSON line per change, each flushed
 *   with `fdatasync` before the client is answered and replayed at start. An answered change
 *   survives a crash of the process or the machine; a change interrupted by one was never
 *   answered and is dropped (a torn last line is cut).
 * - `users.json`: accounts (scrypt password hashes), written by `og devnet users add`.
 * - `token-secret`: the key that signs ID and refresh tokens, so sessions outlive restarts.
 *
 * File bytes go to the devnet's content-addressed model store, so an uploaded ONNX model runs
 * under its CID at once. A crash between storing the bytes and journaling the file leaves the
 * bytes in the store (reachable by CID) but not listed in the version.
 *
 * @example
 * ```ts
 * import { createHubService, startDevnet } from '@opengradient/devnet'
 *
 * // Built in; pass another instance only to change its settings.
 * const devnet = await startDevnet({ services: [createHubService({ tokenLifetime: 120 })] })
 * ```
 */
export function createHubService(
  parameters: CreateHubServiceParameters = {},
): DevnetServiceFactory {
  return async (context) => {
    const hubDir = join(context.dataDir, 'hub')
    const registry = await openHubRegistry({ file: join(hubDir, 'journal.jsonl') })
    const tokens = createTokenIssuer({
      secret: await loadTokenSecret(join(hubDir, 'token-secret')),
    })
    const routes: Route[] = [
      createHubApiRoute({ registry, tokens, models: context.models }),
      createFirebaseAuthRoute({
        dataDir: context.dataDir,
        tokens,
        tokenLifetime: parameters.tokenLifetime ?? 3600,
      }),
      createIpfsGatewayRoute({ models: context.models }),
    ]
    return {
      name: 'hub',
      routes: [corsRoute, ...routes],
      stop: () => registry.close(),
    }
  }
}

const corsPrefixes = [hubApiPrefix, firebaseAuthPrefix, ipfsGatewayPrefix]

/** Lets web pages on other origins call the hub, as the real services do. */
const corsRoute: Route = (request, response, url) => {
  if (
    !corsPrefixes.some((prefix) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))
  ) {
    return false
  }
  response.setHeader('access-control-allow-origin', '*')
  response.setHeader('access-control-expose-headers', 'content-length, etag, location, retry-after')
  if (request.method !== 'OPTIONS') return false
  response.writeHead(204, {
    'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type, x-og-devnet-fault',
    'access-control-max-age': '600',
  })
  response.end()
  return true
}
