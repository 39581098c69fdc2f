import { ContractCallFailedError } from '@opengradient/core'
import { getAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { createAlphaClient } from '../client/createAlphaClient.js'
import { listTasks } from './listTasks.js'
import { registerTask } from './registerTask.js'
import { stopTask } from './stopTask.js'

// Account 4 of the dev mnemonic: other test files use other accounts.
const account = privateKeyToAccount(
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
)
const workflow = getAddress('0x00000000000000000000000000000000005709a1')

function setup() {
  return createAlphaClient({ chain: testDevnet().chain, account })
}

describe('stopTask', () => {
  test('default', async () => {
    const client = setup()
    await registerTask(client, { address: workflow })
    const { transactionHash } = await stopTask(client, { address: workflow })
    expect(transactionHash).toMatch(/^0x[0-9a-f]{64}$/)
    const tasks = await listTasks(client, { user: account.address })
    expect(tasks.some((task) => task.contractAddress === workflow)).toBe(false)
  })

  test('error: a task of another account cannot be stopped', async () => {
    const owner = setup()
    await registerTask(owner, { address: workflow })
    const other = createAlphaClient({
      chain: testDevnet().chain,
      account: privateKeyToAccount(
        '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
      ),
    })
    const error = await stopTask(other, { address: workflow }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ContractCallFailedError)
    expect((error as ContractCallFailedError).revertReason).toBe('TaskScheduler: task not found')
    await stopTask(owner, { address: workflow })
  })
})
