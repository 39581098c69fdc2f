// An IPFS gateway over the devnet's model store: GET /ipfs/{cid}.
import { createReadStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import type { Route } from '../front/server.js'
import type { ModelStore } from '../models/store.js'

/** The path prefix of the gateway; the chain's `ipfsGatewayUrl` is `<rpcUrl>` + this + `/`. */
export const ipfsGatewayPrefix = '/ipfs'

/**
 * The devnet's IPFS gateway: `GET` or `HEAD /ipfs/{cid}` answers a stored file's bytes, by its
 * content id only. Aliases (the real network's ids of the built-in stand-ins) are not served:
 * their bytes would not hash to them.
 */
export function createIpfsGatewayRoute(parameters: { models: ModelStore }): Route {
  const { models } = parameters
  return async (request, response, url) => {
    if (!url.pathname.startsWith(`${ipfsGatewayPrefix}/`)) return false
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' })
      response.end('Method Not Allowed\n')
      return true
    }
    let cid: string
    try {
      cid = decodeURIComponent(url.pathname.slice(ipfsGatewayPrefix.length + 1)).replace(/\/$/, '')
    } catch {
      cid = ''
    }
    const model = cid ? await models.stat(cid).catch(() => undefined) : undefined
    if (!model || model.cid !== cid) {
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end(`ipfs resolve -r /ipfs/${cid}: no link named "${cid}"\n`)
      return true
    }
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': model.size,
      etag: `"${cid}"`,
      'cache-control': 'public, max-age=29030400, immutable',
      'x-ipfs-path': `/ipfs/${cid}`,
    })
    if (request.method === 'HEAD') {
      response.end()
      return true
    }
    await pipeline(createReadStream(await models.path(cid)), response).catch(() => {
      response.destroy()
    })
    return true
  }
}
