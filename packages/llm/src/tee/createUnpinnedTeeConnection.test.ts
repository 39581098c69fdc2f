import { bytesToHex } from 'viem'
import { beforeAll, expect, test } from 'vitest'
import { startTestServer, type TestServer } from '../../test/servers.js'
import {
  chatAnswer,
  createTlsIdentity,
  deployTestRegistry,
  type TestRegistry,
} from '../../test/tees.js'
import { createLlmClient } from '../client/createLlmClient.js'
import { createUnpinnedTeeConnection } from './createUnpinnedTeeConnection.js'

let registry: TestRegistry
let gateway: TestServer

beforeAll(async () => {
  registry = await deployTestRegistry()
  gateway = await startTestServer((_, response) => chatAnswer(response, 'unpinned'))
  await registry.register({
    endpoint: gateway.url,
    tlsCertificate: bytesToHex((await createTlsIdentity()).certificateDer),
  })
})

const messages = [{ role: 'user' as const, content: 'Hello' }]

test('default', async () => {
  const seen: string[] = []
  const tee = createUnpinnedTeeConnection({
    publicClient: registry.publicClient,
    registryAddress: registry.address,
    fetch: (input, init) => {
      seen.push(String(input))
      return globalThis.fetch(input, init)
    },
  })
  expect(tee.pinned).toBe(false)
  const resolved = await tee.current()
  expect(resolved).toMatchObject({ endpoint: gateway.url, pinned: false })
  const reply = await createLlmClient({ tee, allowUnpinnedTls: true }).chat({
    model: 'devnet/tiny',
    messages,
  })
  expect(reply.message.content).toBe('unpinned')
  expect(reply.tee.endpoint).toBe(gateway.url)
  expect(seen).toEqual([`${gateway.url}/v1/chat/completions`])
  tee.close()
})

test('error: the client refuses an unpinned connection unless allowed', () => {
  const tee = createUnpinnedTeeConnection({
    publicClient: registry.publicClient,
    registryAddress: registry.address,
  })
  expect(() => createLlmClient({ tee })).toThrowErrorMatchingInlineSnapshot(
    `[TypeError: The "tee" connection does not pin TLS to the registry's certificates. Use createTeeConnection of "@opengradient/llm/node" where node:https exists, or pass "allowUnpinnedTls: true" to accept it.]`,
  )
})
