import { beforeAll, describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { devnetAdmin } from '../../../../test/devnetAdmin.js'
import { createHome, og } from '../../test/utils.js'
import { deployWorkflow, devnetArgs, workflowEnv } from '../../test/workflow.js'

beforeAll(async () => {
  // The devnet's look-alikes of the pre-deployed workflows (what `og devnet --reference-workflows` installs).
  await devnetAdmin(testDevnet().rpcUrl, 'og_installReferenceWorkflows', { schedule: false })
})

describe('og forecast', () => {
  test('default', async () => {
    const home = await createHome()
    const result = await og(['forecast', ...devnetArgs(), 'eth-volatility'], { home })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/^ETH\/USDT one-hour volatility forecast: \d+\.\d{10}%\n$/)
  })

  test('args: every workflow, --json', async () => {
    const home = await createHome()
    for (const name of ['btc-1h', 'eth-1h', 'sol-1h', 'sui-1h', 'sui-30m', 'sui-6h']) {
      const result = await og(['forecast', ...devnetArgs(), '--json', name], { home })
      expect(result.exitCode, name).toBe(0)
      const json = JSON.parse(result.stdout)
      expect(json).toMatchObject({
        workflow: name,
        result: expect.stringMatching(/^-?\d+\.\d{10}%$/),
        value: expect.any(Number),
        blockExplorerLink: '',
      })
      expect(json.outputName).toBe(
        name.startsWith('sui-') && name !== 'sui-1h'
          ? 'destandardized_prediction'
          : 'regression_output',
      )
    }
  })

  test('args: --address reads another workflow', async () => {
    const home = await createHome()
    const address = await deployWorkflow(home)
    await og(['workflow', 'run', ...devnetArgs(), address], { home, env: workflowEnv })
    const result = await og(
      ['forecast', ...devnetArgs(), '--json', 'eth-volatility', '--address', address],
      { home },
    )
    expect(JSON.parse(result.stdout)).toMatchObject({ address, outputName: 'Y' })
  })

  test('error: an unknown name, a workflow that never ran', async () => {
    const home = await createHome()
    const unknown = await og(['forecast', ...devnetArgs(), 'doge-1h'], { home })
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr.split('\n')[0]).toBe('Error: "doge-1h" is not a known workflow.')
    const address = await deployWorkflow(home)
    const notRun = await og(['forecast', ...devnetArgs(), 'eth-volatility', '--address', address], {
      home,
    })
    expect(notRun.exitCode).toBe(1)
    expect(notRun.stderr.split('\n')[0]).toBe(
      `Error: Error reading from workflow with address "${address}": the workflow has not run yet, so it has no result.`,
    )
  })
})
