import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fetchIpfsFile, ipfsGatewayFileUrl, isCidV0 } from './fetchIpfsFile.js'

const helloCid = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o'
const emptyCid = 'QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH'

// A gateway that serves "hello world\n" for its id, other bytes for the empty file's id, and
// hangs on /slow/.
let server: Server
let gatewayUrl: string

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === `/ipfs/${helloCid}`) response.end('hello world\n')
    else if (request.url === `/ipfs/${emptyCid}`) response.end('not empty')
    else if (request.url?.startsWith('/slow/')) setTimeout(() => response.end(''), 5_000)
    else {
      response.writeHead(404)
      response.end('no such file')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ipfs/`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('fetchIpfsFile', () => {
  test('default', async () => {
    const bytes = await fetchIpfsFile({ cid: helloCid, gatewayUrl })
    expect(new TextDecoder().decode(bytes)).toBe('hello world\n')
  })

  test('args: computeCid', async () => {
    const seen: number[] = []
    await fetchIpfsFile({
      cid: helloCid,
      gatewayUrl,
      computeCid: async (bytes) => {
        seen.push(bytes.byteLength)
        return helloCid
      },
    })
    expect(seen).toEqual([12])
  })

  test('error: bytes that do not match the id are refused', async () => {
    const error = await fetchIpfsFile({ cid: emptyCid, gatewayUrl }).catch((error) => error)
    expect(error.name).toBe('IntegrityError')
    expect(error.expectedCid).toBe(emptyCid)
    expect(error.actualCid).toMatch(/^Qm/)
    expect(error.actualCid).not.toBe(emptyCid)
  })

  test('error: unknown file', async () => {
    const error = await fetchIpfsFile({
      cid: 'QmVkbauSDEaMP4Tkq6Epm9uW75mWm136n81YH8fGtfwdHU',
      gatewayUrl,
    }).catch((error) => error)
    expect(error.name).toBe('NotFoundError')
    expect(error.status).toBe(404)
  })

  test('error: timeout', async () => {
    const error = await fetchIpfsFile({
      cid: helloCid,
      gatewayUrl: gatewayUrl.replace('/ipfs/', '/slow/'),
      timeout: 100,
    }).catch((error) => error)
    expect(error.name).toBe('TimeoutError')
    expect(error.timeoutMs).toBe(100)
  })

  test('error: an id that is not a CIDv0', async () => {
    await expect(fetchIpfsFile({ cid: 'mlp', gatewayUrl })).rejects.toThrow(
      '"mlp" is not a CIDv0 (Qm…) content id; it cannot be checked.',
    )
  })
})

describe('ipfsGatewayFileUrl', () => {
  test('default', () => {
    expect(ipfsGatewayFileUrl('https://gw.example/ipfs', 'Qm1')).toBe('https://gw.example/ipfs/Qm1')
    expect(ipfsGatewayFileUrl('https://gw.example/ipfs/', 'Qm1')).toBe(
      'https://gw.example/ipfs/Qm1',
    )
  })

  test('args: template', () => {
    expect(ipfsGatewayFileUrl('https://{cid}.ipfs.example/', 'Qm1')).toBe(
      'https://Qm1.ipfs.example/',
    )
  })
})

describe('isCidV0', () => {
  test('default', () => {
    expect(isCidV0(helloCid)).toBe(true)
    expect(isCidV0('bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi')).toBe(false)
  })
})
