import { devnetOpgTokenAddress } from '@opengradient/core'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { freshPayer, fundedPayer } from '../../test/payer.js'
import { createHome, og } from '../../test/utils.js'
import { paymentLines } from './llmPayments.js'

function devnetArgs() {
  return ['--network', 'devnet', '--rpc-url', testDevnet().rpcUrl]
}

describe('og llm setup-check', () => {
  test('error: a fresh key is not ready, and says why', async () => {
    const home = await createHome()
    const payer = freshPayer()
    const result = await og(['llm', 'setup-check', ...devnetArgs()], { home, env: payer.env })
    expect(result.exitCode).toBe(1)
    const lines = result.stdout.split('\n')
    expect(lines.slice(0, 4)).toEqual([
      `Account:           ${payer.address} on OpenGradient Devnet (10744)`,
      'OPG balance:       0 OPG',
      'Gas balance:       0 ETH',
      'Permit2 allowance: 0 OPG',
    ])
    const issues = lines.filter((line) => line.startsWith('❌ '))
    expect(issues).toHaveLength(3)
    expect(result.stdout).not.toContain('Ready to pay')
    expect(result.stderr).toContain('The account is not ready to pay for LLM calls.')
    expect(result.stderr).toContain('og llm approve --min 0.1')

    const json = await og(['llm', 'setup-check', ...devnetArgs(), '--json'], {
      home,
      env: payer.env,
    })
    expect(json.exitCode).toBe(1)
    const output = JSON.parse(json.stdout)
    expect(output).toMatchObject({
      account: payer.address,
      chainId: 10744,
      token: devnetOpgTokenAddress,
      opgBalance: '0',
      ethBalance: '0',
      permit2Allowance: '0',
      ready: false,
    })
    expect(output.issues).toEqual(issues.map((line) => line.slice(2)))
  })

  test('behavior: a funded key is ready once approved', async () => {
    const home = await createHome()
    const payer = await fundedPayer('2')
    const before = await og(['llm', 'setup-check', ...devnetArgs(), '--json'], {
      home,
      env: payer.env,
    })
    expect(before.exitCode).toBe(1)
    expect(JSON.parse(before.stdout)).toMatchObject({
      opgBalance: '2000000000000000000',
      permit2Allowance: '0',
      ready: false,
      issues: [expect.stringContaining('Permit2')],
    })
    const approved = await og(['llm', 'approve', ...devnetArgs(), '--min', '1'], {
      home,
      env: payer.env,
    })
    expect(approved.exitCode).toBe(0)
    const after = await og(['llm', 'setup-check', ...devnetArgs()], { home, env: payer.env })
    expect(after.stderr).toBe('')
    expect(after.exitCode).toBe(0)
    // The approval spent some of the gas.
    expect(after.stdout.split('\n')).toEqual([
      `Account:           ${payer.address} on OpenGradient Devnet (10744)`,
      'OPG balance:       2 OPG',
      expect.stringMatching(/^Gas balance: {7}0\.99\d+ ETH$/),
      'Permit2 allowance: 2 OPG',
      '✅ Ready to pay for LLM calls',
      '',
    ])
  })
})

describe('og llm approve', () => {
  test('behavior: approves when below --min, then does nothing', async () => {
    const home = await createHome()
    const payer = await fundedPayer('5')
    const first = await og(['llm', 'approve', ...devnetArgs(), '--min', '1'], {
      home,
      env: payer.env,
    })
    expect(first.stderr).toBe('')
    expect(first.exitCode).toBe(0)
    expect(first.stdout).toMatch(
      new RegExp(
        `^✅ Permit2 may now spend 2 OPG of ${payer.address}'s OPG \\(was 0 OPG\\)\\nTransaction hash: 0x[0-9a-f]{64}\\n$`,
      ),
    )
    const second = await og(['llm', 'approve', ...devnetArgs(), '--min', '1', '--json'], {
      home,
      env: payer.env,
    })
    expect(second.exitCode).toBe(0)
    expect(JSON.parse(second.stdout)).toEqual({
      account: payer.address,
      chainId: 10744,
      allowanceBefore: '2000000000000000000',
      allowanceAfter: '2000000000000000000',
      transactionHash: null,
      capped: false,
    })
    const third = await og(['llm', 'approve', ...devnetArgs(), '--min', '2'], {
      home,
      env: payer.env,
    })
    expect(third.stdout).toBe(
      `✅ Permit2 may already spend 2 OPG of ${payer.address}'s OPG; nothing to do\n`,
    )
  })

  test('error: an amount that is not decimal OPG is a usage error', async () => {
    const home = await createHome()
    const result = await og(['llm', 'approve', ...devnetArgs(), '--min', '1e18'], {
      home,
      env: freshPayer().env,
    })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--min must be a decimal OPG amount like 0.5, got "1e18".')
  })
})

describe('paymentLines', () => {
  const payment = {
    scheme: 'upto',
    network: 'eip155:10744',
    asset: devnetOpgTokenAddress,
    amount: '100000000000000000',
    payTo: '0xBcd4042DE499D14e55001CcbB24a551F3b954096',
    payer: '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
    session: 'session-1',
    reusedSession: false,
  }

  test('default', () => {
    expect(paymentLines(payment)).toEqual([
      'Payment: upto on eip155:10744, up to 0.1 OPG to 0xBcd4042DE499D14e55001CcbB24a551F3b954096 (session session-1)',
    ])
  })

  test('behavior: a reused session and no payment', () => {
    expect(paymentLines({ ...payment, reusedSession: true })).toEqual([
      'Payment: charged to upto session session-1 (cap 0.1 OPG, no new signature)',
    ])
    expect(paymentLines(undefined)).toEqual(['Payment: none asked'])
  })
})
