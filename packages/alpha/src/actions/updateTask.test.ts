import { ContractCallFailedError } from '@opengradient/core'
import { getAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { createAlphaClient } from '../client/createAlphaClient.js'
import { listTasks } from './listTasks.js'
import { registerTask } from './registerTask.js'
import { updateTask } from './updateTask.js'

// Account 4 of the dev mnemonic: other test files use other accounts.
const account = privateKeyToAccount(
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
)
const workflow = getAddress('0x00000000000000000000000000000000000b0b01')

function setup() {
  return createAlphaClient({ chain: testDevnet().chain, account })
}

describe('updateTask', () => {
  test('default', async () => {
    const client = setup()
    await registerTask(client, { address: workflow, frequency: 600 })
    const result = await updateTask(client, { address: workflow, frequency: 60, endTime: 1n })
    expect(result).toMatchObject({ frequency: 60n, endTime: 1n })
    const [task] = (await listTasks(client, { user: account.address })).filter(
      (entry) => entry.contractAddress === workflow,
    )
    expect(task).toMatchObject({ frequency: 60n, endTime: 1n, active: false })
  })

  test('error: only a registered task can be updated', async () => {
    const error = await updateTask(setup(), {
      address: getAddress('0x00000000000000000000000000000000000b0b02'),
      frequency: 60,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ContractCallFailedError)
    expect((error as ContractCallFailedError).revertReason).toBe('TaskScheduler: task not found')
  })
})
