import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHubClient } from '@opengradient/hub'
import { afterAll, describe, expect, test } from 'vitest'
import { startDevnet } from '../startDevnet.js'
import { addHubUser } from './users.js'

const dirs: string[] = []
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

function hubClient(rpcUrl: string) {
  return createHubClient({
    baseUrl: `${rpcUrl}/api/v0`,
    authUrl: `${rpcUrl}/firebase`,
    gatewayUrl: `${rpcUrl}/ipfs/`,
  })
}

describe('createHubService', () => {
  test('default: repositories, versions, files and sessions survive a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'og-devnet-hub-'))
    dirs.push(dataDir)
    await addHubUser({ dataDir, email: 'dev@example.com', password: 'devnet-pw' })
    const first = await startDevnet({ dataDir, port: 0 })
    const client = hubClient(first.rpcUrl)
    let modelCid: string
    try {
      await client.login({ email: 'dev@example.com', password: 'devnet-pw' })
      await client.createModel({ name: 'kept', description: 'across restarts' })
      await client.createVersion({ model: 'kept', isMajor: true })
      ;({ modelCid } = await client.uploadFile({
        model: 'kept',
        version: '1.00',
        data: new TextEncoder().encode('durable bytes'),
        fileName: 'kept.bin',
      }))
      expect(await first.models.has(modelCid)).toBe(true)
    } finally {
      await first.stop()
    }

    const second = await startDevnet({ dataDir, port: 0 })
    try {
      // The session of before the restart still works (the signing key is kept).
      const again = createHubClient({ ...hubClient(second.rpcUrl), auth: client.auth.session })
      expect(await again.getModel({ name: 'kept' })).toMatchObject({
        versions: [{ versionString: '0.01' }, { versionString: '1.00' }],
      })
      expect(await again.listFiles({ model: 'kept', version: '1.00' })).toMatchObject([
        { name: 'kept.bin', size: 13, ipfsCid: modelCid },
      ])
      expect((await again.createVersion({ model: 'kept' })).versionString).toBe('1.01')
      const bytes = await again.downloadModel({ cid: modelCid })
      expect(new TextDecoder().decode(bytes)).toBe('durable bytes')
    } finally {
      await second.stop()
    }
  })

  test('behavior: POST /models without the slash is redirected, as the real hub does', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'og-devnet-hub-'))
    dirs.push(dataDir)
    const devnet = await startDevnet({ dataDir, port: 0 })
    try {
      const response = await fetch(`${devnet.rpcUrl}/api/v0/models?page=2`, {
        method: 'POST',
        redirect: 'manual',
      })
      expect(response.status).toBe(307)
      expect(response.headers.get('location')).toBe('/api/v0/models/?page=2')
      const gateway = await fetch(
        `${devnet.rpcUrl}/ipfs/QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ`,
      )
      // A reference id is an alias of a stand-in: its bytes would not hash to it.
      expect(gateway.status).toBe(404)
    } finally {
      await devnet.stop()
    }
  })
})
