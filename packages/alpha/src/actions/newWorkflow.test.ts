import { priceHistoryInferenceAbi } from '@opengradient/contracts'
import {
  CandleOrder,
  CandleType,
  type HistoricalInputQuery,
  InvalidInputError,
  inferenceHubAddress,
} from '@opengradient/core'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { createAlphaClient } from '../client/createAlphaClient.js'
import { SchedulerRegistrationError } from '../errors/workflow.js'
import { listTasks } from './listTasks.js'
import { newWorkflow } from './newWorkflow.js'

// Account 4 of the dev mnemonic: other test files use other accounts.
const account = privateKeyToAccount(
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
)
const inputQuery: HistoricalInputQuery = {
  base: 'ETH',
  quote: 'USDT',
  totalCandles: 10,
  candleDurationInMinutes: 60,
  order: CandleOrder.DESCENDING,
  candleTypes: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
}

function setup() {
  return createAlphaClient({ chain: testDevnet().chain, account })
}

describe('newWorkflow', () => {
  test('default', async () => {
    const client = setup()
    const result = await newWorkflow(client, {
      model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
      inputQuery,
      inputTensorName: 'open_high_low_close',
    })
    expect(result.address).toMatch(/^0x[0-9a-fA-F]{40}$/)
    expect(result.transactionHash).toMatch(/^0x[0-9a-f]{64}$/)
    expect(result.task).toBeUndefined()
    const read = <name extends 'modelId' | 'inputName' | 'inputQuery'>(functionName: name) =>
      client.publicClient.readContract({
        address: result.address,
        abi: priceHistoryInferenceAbi,
        functionName,
      })
    // The constructor's order: model id, input name, query.
    expect(await read('modelId')).toBe('QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N')
    expect(await read('inputName')).toBe('open_high_low_close')
    expect(await read('inputQuery')).toEqual(['ETH', 'USDT', 10, 60, CandleOrder.DESCENDING])
  })

  test('args: scheduler registers the task, its end time computed once from block time', async () => {
    const client = setup()
    const before = await client.publicClient.getBlock()
    const { address, task } = await newWorkflow(client, {
      model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
      inputQuery,
      inputTensorName: 'open_high_low_close',
      scheduler: { frequency: 900, durationHours: 3 },
    })
    expect(task).toMatchObject({ frequency: 900n, transactionHash: expect.stringMatching(/^0x/) })
    const after = await client.publicClient.getBlock()
    expect(task!.endTime).toBeGreaterThanOrEqual(before.timestamp + 3n * 3600n)
    expect(task!.endTime).toBeLessThanOrEqual(after.timestamp + 3n * 3600n)
    const tasks = await listTasks(client, { user: account.address })
    expect(tasks.find((entry) => entry.contractAddress === address)).toEqual({
      user: account.address,
      contractAddress: address,
      endTime: task!.endTime,
      frequency: 900n,
      active: true,
    })
  })

  test('args: scheduler with defaults and an explicit end time', async () => {
    const client = setup()
    const { task } = await newWorkflow(client, {
      model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
      inputQuery,
      inputTensorName: 'open_high_low_close',
      scheduler: { endTime: 4_000_000_000n },
    })
    expect(task).toMatchObject({ frequency: 600n, endTime: 4_000_000_000n })
  })

  test('error: a failed registration carries the deployed address', async () => {
    const client = setup()
    const error = await newWorkflow(client, {
      model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
      inputQuery,
      inputTensorName: 'open_high_low_close',
      scheduler: { frequency: 600 },
      // Not a scheduler: it reverts on registerTask.
      schedulerAddress: inferenceHubAddress,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SchedulerRegistrationError)
    const registration = error as SchedulerRegistrationError
    expect(registration.name).toBe('SchedulerRegistrationError')
    expect(registration.shortMessage).toBe(
      `The workflow was deployed at "${registration.address}", but registering it with the scheduler failed.`,
    )
    expect(
      registration.walk((cause) => (cause as Error).name === 'ContractCallFailedError'),
    ).toBeTruthy()
    // The contract is there and usable.
    const code = await client.publicClient.getCode({ address: registration.address })
    expect(code?.length).toBeGreaterThan(2)
    const receipt = await client.publicClient.getTransactionReceipt({
      hash: registration.transactionHash,
    })
    expect(receipt.contractAddress?.toLowerCase()).toBe(registration.address.toLowerCase())
  })

  test('error: a bad query or schedule is refused before anything is sent', async () => {
    const client = setup()
    const nonce = await client.publicClient.getTransactionCount({ address: account.address })
    await expect(
      newWorkflow(client, {
        model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
        inputQuery: { ...inputQuery, candleTypes: [] },
        inputTensorName: 'open_high_low_close',
      }),
    ).rejects.toBeInstanceOf(InvalidInputError)
    await expect(
      newWorkflow(client, {
        model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
        inputQuery,
        inputTensorName: 'open_high_low_close',
        scheduler: { frequency: 0 },
      }),
    ).rejects.toThrowError('"frequency" must be a positive whole number of seconds, got 0.')
    expect(await client.publicClient.getTransactionCount({ address: account.address })).toBe(nonce)
  })
})
