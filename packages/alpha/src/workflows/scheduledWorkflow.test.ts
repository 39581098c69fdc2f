import { CandleOrder, CandleType, InvalidInputError } from '@opengradient/core'
import { type Devnet, startDevnet } from '@opengradient/devnet'
import type { Hash } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  devnetAdmin,
  logReturnVolatility,
  readShippedCandles,
} from '../../../../test/devnetAdmin.js'
import { type AlphaClient, createAlphaClient } from '../client/createAlphaClient.js'

// A devnet of its own: this file moves block time forward by hours.
let devnet: Devnet
let client: AlphaClient

beforeAll(async () => {
  devnet = await startDevnet({ temporary: true, port: 0 })
  client = createAlphaClient({
    chain: devnet.chain,
    account: privateKeyToAccount(devnet.accounts[1]!.privateKey),
  })
})

afterAll(async () => {
  await devnet?.stop()
})

type SchedulerPass = {
  timestamp: number
  runs: { contractAddress: string; status: string; transactionHash: Hash }[]
}

describe('a scheduled workflow on real ETH/USDT candles', () => {
  test('default: a run by hand, three scheduled runs, and a history of four', async () => {
    // Half past noon on 2024-11-15 in the recorded data: far from any hour boundary, so each
    // run's window is certain.
    const { offsetSeconds } = await devnetAdmin<{ offsetSeconds: number }>(
      devnet.rpcUrl,
      'og_setPriceFeedClock',
      { feedTimestamp: Date.UTC(2024, 10, 15, 12, 30) / 1000 },
    )
    const { address, task } = await client.newWorkflow({
      model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
      inputTensorName: 'open_high_low_close',
      inputQuery: {
        base: 'ETH',
        quote: 'USDT',
        totalCandles: 10,
        candleDurationInMinutes: 60,
        order: CandleOrder.ASCENDING,
        candleTypes: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
      },
      scheduler: { frequency: 3600, durationHours: 10 },
    })
    expect(task).toMatchObject({ frequency: 3600n })

    // Before any run: an empty result that says so, and an empty history.
    const before = await client.readWorkflowResult({ address })
    expect(before).toEqual({
      hasResult: false,
      modelOutput: { numbers: {}, strings: {}, jsons: {}, isSimulationResult: false },
    })
    expect(await client.readWorkflowHistory({ address, count: 4 })).toEqual([])

    const byHand = await client.runWorkflow({ address })
    const hashes: Hash[] = [byHand.transactionHash]
    for (let pass = 0; pass < 3; pass++) {
      const { runs } = await devnetAdmin<SchedulerPass>(devnet.rpcUrl, 'og_runScheduler', {
        advanceSeconds: 3600,
      })
      const ours = runs.filter((run) => run.contractAddress.toLowerCase() === address.toLowerCase())
      expect(ours).toMatchObject([{ status: 'success' }])
      hashes.push(ours[0]!.transactionHash)
    }

    const history = await client.readWorkflowHistory({ address, count: 4 })
    expect(history).toHaveLength(4)
    expect(history[0]).toEqual(byHand.modelOutput)
    expect(await client.readWorkflowHistory({ address, count: 100 })).toEqual(history)
    expect(await client.readWorkflowHistory({ address, count: 4, order: 'newest-first' })).toEqual(
      [...history].reverse(),
    )
    expect((await client.readWorkflowResult({ address })).modelOutput).toEqual(history[3])

    // Each run used the ten hourly candles complete at its block's time on the feed's clock;
    // the volatility is recomputed here from the same rows of the CSV file.
    const rows = await readShippedCandles('ETHUSDT')
    const volatilities: number[] = []
    for (const [index, hash] of hashes.entries()) {
      const receipt = await client.publicClient.getTransactionReceipt({ hash })
      const block = await client.publicClient.getBlock({ blockNumber: receipt.blockNumber })
      const feedTime = Number(block.timestamp) - offsetSeconds
      const complete = rows.filter((row) => row.openTime + 3600 <= feedTime)
      const closes = complete.slice(-10).map((row) => row.close)
      const expected = logReturnVolatility(closes)
      const output = history[index]!.numbers.Y
      expect(output?.shape).toEqual([1])
      // float32 arithmetic in the model against float64 here.
      expect(Math.abs(output!.data[0]! - expected)).toBeLessThan(expected * 1e-4)
      volatilities.push(output!.data[0]!)
    }
    // A new hour each time: four different windows.
    expect(new Set(volatilities).size).toBe(4)
  })

  test('error: a history of zero results is refused, as the contract refuses it', async () => {
    const { address } = await client.newWorkflow({
      model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
      inputTensorName: 'open_high_low_close',
      inputQuery: {
        base: 'ETH',
        quote: 'USDT',
        totalCandles: 10,
        candleDurationInMinutes: 60,
        order: CandleOrder.ASCENDING,
        candleTypes: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
      },
    })
    await expect(client.readWorkflowHistory({ address, count: 0 })).rejects.toBeInstanceOf(
      InvalidInputError,
    )
    await expect(
      client.publicClient.readContract({
        address,
        abi: [
          {
            type: 'function',
            name: 'getLastInferenceResults',
            stateMutability: 'view',
            inputs: [{ name: 'num', type: 'uint256' }],
            outputs: [{ name: '', type: 'bytes' }],
          },
        ],
        functionName: 'getLastInferenceResults',
        args: [0n],
      }),
    ).rejects.toThrowError(/Number of results must be positive/)
  })
})
