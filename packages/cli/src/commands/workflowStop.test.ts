import { describe, expect, test } from 'vitest'
import { createHome, og } from '../../test/utils.js'
import { deployWorkflow, devnetArgs, workflowEnv } from '../../test/workflow.js'

describe('og workflow stop', () => {
  test('default', async () => {
    const home = await createHome()
    const address = await deployWorkflow(home, ['--frequency', '600'])
    const result = await og(['workflow', 'stop', ...devnetArgs(), address], {
      home,
      env: workflowEnv,
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(
      new RegExp(
        `^✅ Schedule of workflow ${address} stopped\\nTransaction hash: [0-9a-f]{64}\\n$`,
      ),
    )
    const tasks = await og(['workflow', 'tasks', ...devnetArgs(), '--json', '--mine'], {
      home,
      env: workflowEnv,
    })
    const listed = JSON.parse(tasks.stdout).tasks.map(
      (task: { contractAddress: string }) => task.contractAddress,
    )
    expect(listed).not.toContain(address)
  })

  test('error: a workflow without a schedule', async () => {
    const home = await createHome()
    const address = await deployWorkflow(home)
    const result = await og(['workflow', 'stop', ...devnetArgs(), '--json', address], {
      home,
      env: workflowEnv,
    })
    expect(result.exitCode).toBe(1)
    expect(JSON.parse(result.stderr)).toMatchObject({
      error: {
        name: 'ContractCallFailedError',
        message: 'The call to "stopTask" reverted with reason: "TaskScheduler: task not found".',
      },
    })
  })
})
