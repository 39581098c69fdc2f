import { describe, expect, test } from 'vitest'
import { createHome, og } from '../../test/utils.js'
import { deployWorkflow, devnetArgs, workflowAccount, workflowEnv } from '../../test/workflow.js'

describe('og workflow tasks', () => {
  test('default', async () => {
    const home = await createHome()
    const address = await deployWorkflow(home, ['--frequency', '1200', '--duration-hours', '1'])
    const result = await og(['workflow', 'tasks', ...devnetArgs()], { home, env: workflowEnv })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/^\d+ scheduled workflows?:\n/)
    expect(result.stdout).toMatch(
      new RegExp(
        `\\n${address} \\(active\\)\\n  Frequency: every 1200 seconds\\n  End time:  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\n  User:      ${workflowAccount}\\n`,
      ),
    )
  })

  test('args: --mine without tasks', async () => {
    const home = await createHome()
    // Dev account 6 never registers a task in these tests.
    const result = await og(['workflow', 'tasks', ...devnetArgs(), '--mine'], {
      home,
      env: { OG_PRIVATE_KEY: '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e' },
    })
    expect(result.stdout).toBe('You have no scheduled workflows.\n')
  })
})
