import { describe, expect, test } from 'vitest'
import { createHome, og } from '../../test/utils.js'
import { deployWorkflow, devnetArgs, workflowEnv } from '../../test/workflow.js'

describe('og workflow run', () => {
  test('default', async () => {
    const home = await createHome()
    const address = await deployWorkflow(home)
    const result = await og(['workflow', 'run', ...devnetArgs(), address], {
      home,
      env: workflowEnv,
    })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(
      new RegExp(
        `^Running workflow ${address}\\n\\n✅ Workflow run successful\\n─+\\nTransaction hash: [0-9a-f]{64}\\nInference ID: 0x[0-9a-f]{64}\\n\\nWorkflow result:\\n`,
      ),
    )
    const output = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')))
    expect(output).toEqual({ Y: [expect.any(Number)] })
  })

  test('args: --json', async () => {
    const home = await createHome()
    const address = await deployWorkflow(home)
    const result = await og(['workflow', 'run', ...devnetArgs(), '--json', address], {
      home,
      env: workflowEnv,
    })
    expect(result.exitCode).toBe(0)
    const json = JSON.parse(result.stdout)
    expect(json).toMatchObject({
      address,
      transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      modelOutput: { numbers: { Y: { shape: [1] } }, isSimulationResult: false },
    })
  })

  test('error: not an address', async () => {
    const home = await createHome()
    const result = await og(['workflow', 'run', ...devnetArgs(), '0x1234'], {
      home,
      env: workflowEnv,
    })
    expect(result.exitCode).toBe(2)
    expect(result.stderr.split('\n')[0]).toBe('Error: "0x1234" is not a valid workflow address.')
  })
})
