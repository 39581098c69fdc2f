import { taskSchedulerAbi } from '@opengradient/contracts'
import { InvalidInputError, taskSchedulerAddress } from '@opengradient/core'
import { getAddress, parseEventLogs } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { createAlphaClient } from '../client/createAlphaClient.js'
import { registerTask } from './registerTask.js'

// Account 4 of the dev mnemonic: other test files use other accounts.
const account = privateKeyToAccount(
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
)
// Any contract address will do: the scheduler only records it.
const workflow = getAddress('0x00000000000000000000000000000000000a11ce')

function setup() {
  return createAlphaClient({ chain: testDevnet().chain, account })
}

describe('registerTask', () => {
  test('default', async () => {
    const client = setup()
    const block = await client.publicClient.getBlock()
    const result = await registerTask(client, { address: workflow })
    expect(result.schedulerAddress).toBe(taskSchedulerAddress)
    expect(result.frequency).toBe(600n)
    expect(result.endTime - block.timestamp).toBeGreaterThanOrEqual(2n * 3600n)
    expect(result.endTime - block.timestamp).toBeLessThan(2n * 3600n + 60n)
    const receipt = await client.publicClient.getTransactionReceipt({
      hash: result.transactionHash,
    })
    const [event] = parseEventLogs({ abi: taskSchedulerAbi, logs: receipt.logs })
    expect(event).toMatchObject({
      eventName: 'TaskRegistered',
      args: {
        user: account.address,
        contractAddress: workflow,
        endTime: result.endTime,
        frequency: 600n,
      },
    })
  })

  test('args: frequency and endTime', async () => {
    const result = await registerTask(setup(), {
      address: workflow,
      frequency: 3600n,
      endTime: 4_102_444_800,
    })
    expect(result).toMatchObject({ frequency: 3600n, endTime: 4_102_444_800n })
  })

  test('error: values the scheduler cannot take', async () => {
    const client = setup()
    await expect(registerTask(client, { address: workflow, frequency: 0 })).rejects.toBeInstanceOf(
      InvalidInputError,
    )
    await expect(
      registerTask(client, { address: workflow, durationHours: -1 }),
    ).rejects.toThrowError('"durationHours" must be a positive number, got -1.')
    await expect(registerTask(client, { address: workflow, endTime: 1.5 })).rejects.toThrowError(
      '"endTime" must be a unix time in whole seconds, got 1.5.',
    )
  })
})
