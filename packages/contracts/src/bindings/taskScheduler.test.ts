import { taskSchedulerAddress } from '@opengradient/core'
import {
  type Account,
  type Address,
  encodePacked,
  getAddress,
  keccak256,
  parseEventLogs,
} from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { taskSchedulerAbi, taskSchedulerDeployedBytecode } from '../generated/TaskScheduler.js'
import { type Anvil, startAnvil } from '../test/anvil.js'
import { getTaskSchedulerContract } from './taskScheduler.js'

const workflowA: Address = getAddress('0x00000000000000000000000000000000000000a1')
const workflowB: Address = getAddress('0x00000000000000000000000000000000000000b2')
const workflowC: Address = getAddress('0x00000000000000000000000000000000000000c3')

let anvil: Anvil

beforeAll(async () => {
  anvil = await startAnvil()
  // Installed without a constructor, as a devnet does.
  await anvil.testClient.setCode({
    address: taskSchedulerAddress,
    bytecode: taskSchedulerDeployedBytecode,
  })
})

afterAll(async () => {
  await anvil?.stop()
})

function scheduler(account: Account) {
  return getTaskSchedulerContract({
    client: anvil.accountClient(account),
  })
}

async function mined(hash: `0x${string}`) {
  const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  return parseEventLogs({ abi: taskSchedulerAbi, logs: receipt.logs })
}

function taskId(user: Address, contractAddress: Address) {
  return keccak256(encodePacked(['address', 'address'], [user, contractAddress]))
}

describe('TaskScheduler', () => {
  test('default: no tasks', async () => {
    expect(await scheduler(anvil.accounts[0]).read.getAllTasks()).toEqual([])
  })

  test('behavior: registerTask stores the task under keccak256(user, contract) and logs it', async () => {
    const [alice, bob] = anvil.accounts
    const events = await mined(
      await scheduler(alice).write.registerTask([workflowA, 2_000_000_000n, 600n]),
    )
    expect(events.map((event) => [event.eventName, event.args])).toEqual([
      [
        'TaskRegistered',
        {
          user: alice.address,
          contractAddress: workflowA,
          endTime: 2_000_000_000n,
          frequency: 600n,
        },
      ],
    ])
    await mined(await scheduler(alice).write.registerTask([workflowB, 2_000_000_000n, 60n]))
    await mined(await scheduler(bob).write.registerTask([workflowA, 1_900_000_000n, 3600n]))

    const read = scheduler(alice).read
    expect(await read.taskIds([0n])).toBe(taskId(alice.address, workflowA))
    expect(await read.tasks([taskId(bob.address, workflowA)])).toEqual([
      bob.address,
      workflowA,
      1_900_000_000n,
      3600n,
    ])
    expect(await read.getAllTasks()).toEqual([
      { user: alice.address, contractAddress: workflowA, endTime: 2_000_000_000n, frequency: 600n },
      { user: alice.address, contractAddress: workflowB, endTime: 2_000_000_000n, frequency: 60n },
      { user: bob.address, contractAddress: workflowA, endTime: 1_900_000_000n, frequency: 3600n },
    ])
  })

  test('behavior: registering the same contract again replaces the task', async () => {
    const [alice] = anvil.accounts
    const events = await mined(
      await scheduler(alice).write.registerTask([workflowB, 2_100_000_000n, 120n]),
    )
    expect(events[0]?.eventName).toBe('TaskRegistered')
    const tasks = await scheduler(alice).read.getAllTasks()
    expect(tasks).toHaveLength(3)
    expect(tasks[1]).toEqual({
      user: alice.address,
      contractAddress: workflowB,
      endTime: 2_100_000_000n,
      frequency: 120n,
    })
  })

  test('behavior: updateTask changes the caller’s task only', async () => {
    const [alice, bob, carol] = anvil.accounts
    const events = await mined(
      await scheduler(bob).write.updateTask([workflowA, 1_950_000_000n, 1800n]),
    )
    expect(events.map((event) => [event.eventName, event.args])).toEqual([
      [
        'TaskUpdated',
        {
          user: bob.address,
          contractAddress: workflowA,
          newEndTime: 1_950_000_000n,
          newFrequency: 1800n,
        },
      ],
    ])
    expect(await scheduler(alice).read.tasks([taskId(bob.address, workflowA)])).toEqual([
      bob.address,
      workflowA,
      1_950_000_000n,
      1800n,
    ])
    expect(await scheduler(alice).read.tasks([taskId(alice.address, workflowA)])).toEqual([
      alice.address,
      workflowA,
      2_000_000_000n,
      600n,
    ])
    await expect(scheduler(carol).simulate.updateTask([workflowA, 1n, 1n])).rejects.toThrow(
      'TaskScheduler: task not found',
    )
  })

  test('behavior: stopTask removes the task and moves the last id into its place', async () => {
    const [alice, bob] = anvil.accounts
    const events = await mined(await scheduler(alice).write.stopTask([workflowA]))
    expect(events.map((event) => [event.eventName, event.args])).toEqual([
      ['TaskStopped', { user: alice.address, contractAddress: workflowA }],
    ])
    expect(await scheduler(alice).read.getAllTasks()).toEqual([
      { user: bob.address, contractAddress: workflowA, endTime: 1_950_000_000n, frequency: 1800n },
      { user: alice.address, contractAddress: workflowB, endTime: 2_100_000_000n, frequency: 120n },
    ])
    expect(await scheduler(alice).read.tasks([taskId(alice.address, workflowA)])).toEqual([
      '0x0000000000000000000000000000000000000000',
      '0x0000000000000000000000000000000000000000',
      0n,
      0n,
    ])
    await expect(scheduler(alice).simulate.stopTask([workflowA])).rejects.toThrow(
      'TaskScheduler: task not found',
    )

    // A stopped task can be registered again; it goes to the end of the list.
    await mined(await scheduler(alice).write.registerTask([workflowC, 2_000_000_000n, 30n]))
    await mined(await scheduler(alice).write.stopTask([workflowB]))
    await mined(await scheduler(bob).write.stopTask([workflowA]))
    expect(await scheduler(alice).read.getAllTasks()).toEqual([
      { user: alice.address, contractAddress: workflowC, endTime: 2_000_000_000n, frequency: 30n },
    ])
  })

  test('error: a zero frequency or a zero contract address is rejected', async () => {
    const [alice] = anvil.accounts
    await expect(
      scheduler(alice).simulate.registerTask([workflowA, 2_000_000_000n, 0n]),
    ).rejects.toThrow('TaskScheduler: frequency must be positive')
    await expect(
      scheduler(alice).simulate.registerTask([
        '0x0000000000000000000000000000000000000000',
        2_000_000_000n,
        60n,
      ]),
    ).rejects.toThrow('TaskScheduler: zero contract address')
    await expect(
      scheduler(alice).simulate.updateTask([workflowC, 2_000_000_000n, 0n]),
    ).rejects.toThrow('TaskScheduler: frequency must be positive')
  })
})
