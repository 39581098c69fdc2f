import { getAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { createAlphaClient } from '../client/createAlphaClient.js'
import { listTasks } from './listTasks.js'
import { registerTask } from './registerTask.js'

// Account 4 of the dev mnemonic: other test files use other accounts.
const account = privateKeyToAccount(
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
)

function setup() {
  return createAlphaClient({ chain: testDevnet().chain, account })
}

describe('listTasks', () => {
  test('default', async () => {
    const client = setup()
    const active = getAddress('0x0000000000000000000000000000000000115701')
    const ended = getAddress('0x0000000000000000000000000000000000115702')
    const { endTime } = await registerTask(client, { address: active, frequency: 120 })
    await registerTask(client, { address: ended, endTime: 1 })
    const tasks = await listTasks(client)
    expect(tasks.find((task) => task.contractAddress === active)).toEqual({
      user: account.address,
      contractAddress: active,
      endTime,
      frequency: 120n,
      active: true,
    })
    expect(tasks.find((task) => task.contractAddress === ended)).toMatchObject({ active: false })
  })

  test('args: user keeps one account’s tasks', async () => {
    const client = setup()
    const mine = await listTasks(client, { user: account.address })
    expect(mine.length).toBeGreaterThan(0)
    expect(mine.every((task) => task.user === account.address)).toBe(true)
    const nobody = await listTasks(client, { user: '0x0000000000000000000000000000000000000001' })
    expect(nobody).toEqual([])
  })
})
