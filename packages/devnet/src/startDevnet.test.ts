import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inferenceHubAbi, inferencePrecompileAbi } from '@opengradient/contracts'
import { inferenceHubAddress } from '@opengradient/core'
import {
  type Chain,
  createPublicClient,
  createWalletClient,
  decodeEventLog,
  http,
  type PublicClient,
  type WalletClient,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, describe, expect, test } from 'vitest'
import { devPrivateKeys } from './accounts.js'
import { startDevnet } from './startDevnet.js'

const testModel = 'QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ'
const account = privateKeyToAccount(devPrivateKeys[0]!)
const dirs: string[] = []

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

function clients(chain: Chain): { publicClient: PublicClient; walletClient: WalletClient } {
  return {
    publicClient: createPublicClient({
      chain,
      transport: http(),
      pollingInterval: 20,
    }) as PublicClient,
    walletClient: createWalletClient({ chain, transport: http(), account }),
  }
}

async function runTestModel(chain: Chain) {
  const { publicClient, walletClient } = clients(chain)
  const hash = await walletClient.writeContract({
    chain,
    account,
    address: inferenceHubAddress,
    abi: inferenceHubAbi,
    functionName: 'run',
    args: [
      testModel,
      0,
      {
        numbers: [
          { name: 'num_input1', values: [{ value: 15n, decimals: 1n }], shape: [1] },
          { name: 'num_input2', values: [{ value: 2n, decimals: 0n }], shape: [1] },
        ],
        strings: [
          { name: 'str_input1', values: ['a'] },
          { name: 'str_input2', values: ['b'] },
        ],
      },
    ],
    gas: 3_000_000n,
  })
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  const event = decodeEventLog({ abi: inferencePrecompileAbi, ...receipt.logs[0]! })
  return { hash, receipt, inferenceId: (event.args as { inferenceID: string }).inferenceID }
}

describe('startDevnet', () => {
  test('default: runs inference, serves the result endpoint, and keeps everything across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'og-devnet-restart-'))
    dirs.push(dataDir)
    const first = await startDevnet({ dataDir, port: 0 })
    const { hash, receipt, inferenceId } = await runTestModel(first.chain)
    expect(receipt.status).toBe('success')
    expect(receipt.logs).toHaveLength(2)

    const answer = await fetch(
      `${first.rpcUrl}/artela-network/artela-rollkit/inference/tx/${encodeURIComponent(inferenceId)}`,
    ).then((response) => response.json())
    const decoded = JSON.parse(Buffer.from(answer.inference_results[0], 'base64').toString('utf8'))
    expect(decoded.InferenceResult.VanillaResult.model_output.numbers[0]).toEqual({
      name: 'num_output1',
      values: [{ value: '35', decimals: 1 }],
      shape: [1],
    })
    const added = await first.models.add(new TextEncoder().encode('not a model'), { name: 'notes' })
    await first.stop()

    const second = await startDevnet({ dataDir, port: 0 })
    try {
      const { publicClient } = clients(second.chain)
      const again = await publicClient.getTransactionReceipt({ hash })
      expect(again.blockNumber).toBe(receipt.blockNumber)
      expect(again.logs).toHaveLength(2)
      const stillThere = await fetch(
        `${second.rpcUrl}/artela-network/artela-rollkit/inference/tx/${encodeURIComponent(inferenceId)}`,
      ).then((response) => response.json())
      expect(stillThere.inference_results).toHaveLength(1)
      expect((await second.models.list()).map((model) => model.cid)).toContain(added.cid)
      // The chain goes on from where it was.
      const next = await runTestModel(second.chain)
      expect(next.receipt.blockNumber).toBeGreaterThan(receipt.blockNumber)
      expect(next.inferenceId).not.toBe(inferenceId)
    } finally {
      await second.stop()
    }
  })

  test('behavior: a killed node loses at most the last state interval and restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'og-devnet-kill-'))
    dirs.push(dataDir)
    const first = await startDevnet({ dataDir, port: 0, stateInterval: 1 })
    const { hash } = await runTestModel(first.chain)
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    // Simulate a crash: anvil dies without dumping, the front never shuts down cleanly.
    const pid = Number(
      await import('node:fs/promises').then((fs) =>
        fs.readFile(join(dataDir, 'chain', 'anvil.pid'), 'utf8'),
      ),
    )
    process.kill(pid, 'SIGKILL')
    await first.stop()

    const second = await startDevnet({ dataDir, port: 0 })
    try {
      const { publicClient } = clients(second.chain)
      const receipt = await publicClient.getTransactionReceipt({ hash })
      expect(receipt.status).toBe('success')
    } finally {
      await second.stop()
    }
  })

  test('error: a second devnet on the same data directory is refused', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'og-devnet-lock-'))
    dirs.push(dataDir)
    const { spawn } = await import('node:child_process')
    // A live process that is not this one holds the lock.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    const { mkdir, writeFile } = await import('node:fs/promises')
    await mkdir(join(dataDir, 'chain'), { recursive: true })
    await writeFile(join(dataDir, 'devnet.lock'), String(holder.pid))
    try {
      await expect(startDevnet({ dataDir, port: 0 })).rejects.toThrow(/already running/)
    } finally {
      holder.kill()
    }
  })
})
