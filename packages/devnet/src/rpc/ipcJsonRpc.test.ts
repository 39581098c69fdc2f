import { existsSync } from 'node:fs'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type AnvilInstance, startAnvil } from '../anvil/anvil.js'
import { JsonRpcResponseError } from './jsonRpc.js'

const key = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'

let anvil: AnvilInstance

beforeAll(async () => {
  anvil = await startAnvil({ args: ['--no-mining'] })
})
afterAll(async () => {
  await anvil?.stop()
})

describe('anvil over IPC', () => {
  test('default: the devnet talks to anvil over its socket, and removes it on stop', async () => {
    const socketPath = anvil.process.spawnargs[anvil.process.spawnargs.indexOf('--ipc') + 1]!
    expect(existsSync(socketPath)).toBe(true)
    expect(await anvil.rpc.request('eth_chainId')).toBe('0x29f8')
    const other = await startAnvil()
    const otherPath = other.process.spawnargs[other.process.spawnargs.indexOf('--ipc') + 1]!
    await other.stop()
    expect(existsSync(otherPath)).toBe(false)
  })

  test('behavior: a forwarded body gets its own ids back, whatever they were', async () => {
    const bodies = [
      { jsonrpc: '2.0', id: 'a-string', method: 'eth_chainId', params: [] },
      { jsonrpc: '2.0', id: null, method: 'eth_chainId', params: [] },
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
      { jsonrpc: '2.0', id: 1, method: 'net_version', params: [] },
    ]
    const answers = await Promise.all(
      bodies.map(async (body) => JSON.parse(await anvil.rpc.forward(JSON.stringify(body)))),
    )
    expect(answers).toEqual([
      { jsonrpc: '2.0', id: 'a-string', result: '0x29f8' },
      { jsonrpc: '2.0', id: null, result: '0x29f8' },
      { jsonrpc: '2.0', id: 1, result: '0x29f8' },
      { jsonrpc: '2.0', id: 1, result: '10744' },
    ])
  })

  test('behavior: a batch keeps its ids, and errors come back as errors', async () => {
    const text = await anvil.rpc.forward(
      JSON.stringify([
        { jsonrpc: '2.0', id: 7, method: 'eth_chainId', params: [] },
        { jsonrpc: '2.0', id: 'x', method: 'no_such_method', params: [] },
      ]),
    )
    const answers = (JSON.parse(text) as { id: unknown; result?: unknown; error?: unknown }[]).sort(
      (a, b) => String(a.id).localeCompare(String(b.id)),
    )
    expect(answers[0]).toEqual({ jsonrpc: '2.0', id: 7, result: '0x29f8' })
    expect(answers[1]).toMatchObject({ id: 'x', error: { message: expect.any(String) } })
    await expect(anvil.rpc.request('no_such_method')).rejects.toBeInstanceOf(JsonRpcResponseError)
  })

  test('behavior: a send waiting to be mined does not hold back the requests after it', async () => {
    const account = privateKeyToAccount(key)
    const signed = await account.signTransaction({
      chainId: 10744,
      type: 'legacy',
      to: account.address,
      gas: 21_000n,
      gasPrice: 2_000_000_000n,
      nonce: Number(
        await anvil.rpc.request('eth_getTransactionCount', [account.address, 'latest']),
      ),
    })
    const mined = anvil.rpc.request<{ status: string }>('eth_sendRawTransactionSync', [signed])
    // Mining is off: the send waits; other requests on the same socket still get answers.
    expect(await anvil.rpc.request('eth_chainId')).toBe('0x29f8')
    await anvil.rpc.request('evm_mine')
    expect((await mined).status).toBe('0x1')
  })

  test('behavior: a notification (no id) is answered as over HTTP instead of waiting forever', async () => {
    const notification = JSON.stringify({ jsonrpc: '2.0', method: 'eth_chainId', params: [] })
    expect(await anvil.rpc.forward(notification)).toBe('')
  })
})
