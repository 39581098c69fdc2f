import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { createHome, og } from '../../test/utils.js'
import {
  devnetArgs,
  volatilityDeployArgs,
  workflowAccount,
  workflowEnv,
} from '../../test/workflow.js'

describe('og workflow deploy', () => {
  test('default', async () => {
    const home = await createHome()
    const result = await og(['workflow', 'deploy', ...devnetArgs(), ...volatilityDeployArgs], {
      home,
      env: workflowEnv,
    })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(
      /^Deploying a workflow for model "QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N"\n\n✅ Workflow deployed\n─+\nAddress: 0x[0-9a-fA-F]{40}\nTransaction hash: [0-9a-f]{64}\n\nRun it with: og workflow run 0x[0-9a-fA-F]{40}\n$/,
    )
  })

  test('args: --json with a schedule', async () => {
    const home = await createHome()
    const result = await og(
      [
        'workflow',
        'deploy',
        ...devnetArgs(),
        '--json',
        ...volatilityDeployArgs,
        '--frequency',
        '3600',
        '--duration-hours',
        '24',
      ],
      { home, env: workflowEnv },
    )
    expect(result.exitCode).toBe(0)
    const json = JSON.parse(result.stdout)
    expect(json).toEqual({
      address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
      transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      task: {
        transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
        schedulerAddress: testDevnet().chain.contracts.taskScheduler.address,
        endTime: expect.stringMatching(/^\d+$/),
        frequency: '3600',
      },
    })
    const tasks = await og(['workflow', 'tasks', ...devnetArgs(), '--json', '--mine'], {
      home,
      env: workflowEnv,
    })
    expect(JSON.parse(tasks.stdout).tasks).toContainEqual({
      user: workflowAccount,
      contractAddress: json.address,
      endTime: json.task.endTime,
      frequency: '3600',
      active: true,
    })
  })

  test('args: a schedule in human output', async () => {
    const home = await createHome()
    const result = await og(
      ['workflow', 'deploy', ...devnetArgs(), ...volatilityDeployArgs, '--frequency', '600'],
      { home, env: workflowEnv },
    )
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(
      /⏰ Scheduled\n {3}• Frequency: every 600 seconds\n {3}• End time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n {3}• Transaction hash: [0-9a-f]{64}\n$/,
    )
  })

  test('error: bad option values are usage errors', async () => {
    const home = await createHome()
    const cases: [string[], string][] = [
      [['--types', 'open,spread'], 'Error: "spread" is not a candle field.'],
      [
        ['--candles', '0'],
        'Error: The value of --candles must be a positive whole number, got "0".',
      ],
      [
        ['--order', 'sideways'],
        "Error: Option '--order <order>' argument 'sideways' is invalid. Allowed choices are ascending, descending.",
      ],
      [
        ['--duration-hours', 'x'],
        'Error: The value of --duration-hours must be a positive number, got "x".',
      ],
    ]
    for (const [change, message] of cases) {
      const result = await og(
        ['workflow', 'deploy', ...devnetArgs(), ...volatilityDeployArgs, ...change],
        { home, env: workflowEnv },
      )
      expect(result.exitCode, change.join(' ')).toBe(2)
      expect(result.stderr.split('\n')[0]).toBe(message)
    }
    const missing = await og(['workflow', 'deploy', ...devnetArgs(), '--model', 'Qm'], {
      home,
      env: workflowEnv,
    })
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toContain('--input-name')
  })
})
