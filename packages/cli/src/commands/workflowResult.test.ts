import { describe, expect, test } from 'vitest'
import { createHome, og } from '../../test/utils.js'
import { deployWorkflow, devnetArgs, workflowEnv } from '../../test/workflow.js'

describe('og workflow result', () => {
  test('default', async () => {
    const home = await createHome()
    const address = await deployWorkflow(home)
    await og(['workflow', 'run', ...devnetArgs(), address], { home, env: workflowEnv })
    const result = await og(['workflow', 'result', ...devnetArgs(), address], {
      home,
      env: workflowEnv,
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout.split('\n')[0]).toBe(`Latest result of workflow ${address}:`)
    expect(JSON.parse(result.stdout.slice(result.stdout.indexOf('{')))).toEqual({
      Y: [expect.any(Number)],
    })
  })

  test('behavior: before the first run', async () => {
    const home = await createHome()
    const address = await deployWorkflow(home)
    const result = await og(['workflow', 'result', ...devnetArgs(), address], {
      home,
      env: workflowEnv,
    })
    expect(result).toEqual({
      exitCode: 0,
      stdout: `Workflow ${address} has not run yet: it has no result.\n`,
      stderr: '',
    })
    const json = await og(['workflow', 'result', ...devnetArgs(), '--json', address], {
      home,
      env: workflowEnv,
    })
    expect(JSON.parse(json.stdout)).toEqual({
      address,
      hasResult: false,
      modelOutput: { numbers: {}, strings: {}, jsons: {}, isSimulationResult: false },
    })
  })
})
