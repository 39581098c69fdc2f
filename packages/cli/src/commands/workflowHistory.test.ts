import { describe, expect, test } from 'vitest'
import { createHome, og } from '../../test/utils.js'
import { deployWorkflow, devnetArgs, workflowEnv } from '../../test/workflow.js'

describe('og workflow history', () => {
  test('default', async () => {
    const home = await createHome()
    const address = await deployWorkflow(home)
    for (let run = 0; run < 2; run++) {
      await og(['workflow', 'run', ...devnetArgs(), address], { home, env: workflowEnv })
    }
    const result = await og(['workflow', 'history', ...devnetArgs(), address, '--count', '5'], {
      home,
      env: workflowEnv,
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`Last 2 results of workflow ${address}, oldest first:\n\n#1\n{`)
    expect(result.stdout).toContain('\n\n#2\n{')
  })

  test('args: --json and --order newest-first', async () => {
    const home = await createHome()
    const address = await deployWorkflow(home)
    await og(['workflow', 'run', ...devnetArgs(), address], { home, env: workflowEnv })
    const oldest = await og(
      ['workflow', 'history', ...devnetArgs(), '--json', address, '--count', '3'],
      { home, env: workflowEnv },
    )
    const newest = await og(
      [
        'workflow',
        'history',
        ...devnetArgs(),
        '--json',
        address,
        '--count',
        '3',
        '--order',
        'newest-first',
      ],
      { home, env: workflowEnv },
    )
    const oldestJson = JSON.parse(oldest.stdout)
    expect(oldestJson).toMatchObject({ address, order: 'oldest-first' })
    expect(oldestJson.results).toHaveLength(1)
    expect(JSON.parse(newest.stdout).results).toEqual([...oldestJson.results].reverse())
  })

  test('behavior: an empty history', async () => {
    const home = await createHome()
    const address = await deployWorkflow(home)
    const result = await og(['workflow', 'history', ...devnetArgs(), address, '--count', '1'], {
      home,
      env: workflowEnv,
    })
    expect(result.stdout).toBe(`Workflow ${address} has not run yet: its history is empty.\n`)
  })

  test('error: --count 0', async () => {
    const home = await createHome()
    const result = await og(
      [
        'workflow',
        'history',
        ...devnetArgs(),
        '0x5FbDB2315678afecb367f032d93F642f64180aa3',
        '--count',
        '0',
      ],
      { home, env: workflowEnv },
    )
    expect(result.exitCode).toBe(2)
    expect(result.stderr.split('\n')[0]).toBe(
      'Error: The value of --count must be a positive whole number, got "0".',
    )
  })
})
