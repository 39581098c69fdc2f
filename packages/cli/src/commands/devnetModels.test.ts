import { join } from 'node:path'
import { builtinModelPath } from '@opengradient/devnet'
import { describe, expect, test } from 'vitest'
import { createHome, og } from '../../test/utils.js'

describe('og devnet models', () => {
  test('default: add prints the CID and list shows it with its inputs', async () => {
    const home = await createHome()
    const dataDir = join(home, 'devnet')
    const added = await og(
      [
        'devnet',
        'models',
        'add',
        builtinModelPath('mlp.onnx'),
        '--name',
        'my-mlp',
        '--data-dir',
        dataDir,
        '--json',
      ],
      { home },
    )
    expect(added.exitCode).toBe(0)
    const { cid } = JSON.parse(added.stdout)
    expect(cid).toMatch(/^Qm/)
    const listed = await og(['devnet', 'models', 'list', '--data-dir', dataDir, '--json'], { home })
    const models = JSON.parse(listed.stdout) as { cid: string; name: string; inputs: string[] }[]
    expect(models.find((model) => model.cid === cid)?.inputs).toEqual(['x'])
    expect(models.some((model) => model.name.includes('volatility'))).toBe(true)
    const text = await og(['devnet', 'models', 'list', '--data-dir', dataDir], { home })
    expect(text.stdout).toContain('inputs: num_input1, num_input2, str_input1, str_input2')
  })

  test('error: a missing file exits non-zero', async () => {
    const home = await createHome()
    const result = await og(
      ['devnet', 'models', 'add', join(home, 'nope.onnx'), '--data-dir', home],
      { home },
    )
    expect(result.exitCode).not.toBe(0)
  })
})

describe('og quickstart', () => {
  test('default', async () => {
    const home = await createHome()
    const result = await og(['quickstart', '--json'], { home })
    expect(result.exitCode).toBe(0)
    const report = JSON.parse(result.stdout)
    const inference = Object.values(report).find(
      (step) => typeof step === 'object' && step !== null && 'output' in step,
    ) as { output: Record<string, unknown> }
    expect(inference.output.num_output1).toEqual([11, 12, 13])
    const workflow = Object.values(report).find(
      (step) => typeof step === 'object' && step !== null && 'volatility' in step,
    ) as { volatility: number[] }
    expect(workflow.volatility).toHaveLength(3)
    const uploaded = Object.values(report).find(
      (step) => typeof step === 'object' && step !== null && 'modelCid' in step,
    ) as { modelCid: string; probabilities: number[] }
    expect(uploaded.modelCid).toMatch(/^Qm/)
    expect(uploaded.probabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5)
    for (const value of workflow.volatility) expect(value).toBeGreaterThan(0)
  })
})
