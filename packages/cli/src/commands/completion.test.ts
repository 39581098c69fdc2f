import { beforeAll, describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { fundedPayer, type Payer } from '../../test/payer.js'
import { createHome, og } from '../../test/utils.js'

// Dev account 9: the on-chain calls of the llm tests use it too (files run one at a time).
const env = { OG_PRIVATE_KEY: '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6' }

function devnetArgs() {
  return ['--network', 'devnet', '--rpc-url', testDevnet().rpcUrl]
}

// A fresh account with OPG, approved to Permit2, pays the devnet TEE in the --tee tests.
let payer: Payer
beforeAll(async () => {
  payer = await fundedPayer('2')
  const approved = await og(['llm', 'approve', ...devnetArgs(), '--min', '1'], {
    home: await createHome(),
    env: payer.env,
  })
  if (approved.exitCode !== 0) throw new Error(approved.stderr)
})

describe('og completion', () => {
  test('default', async () => {
    const home = await createHome()
    const result = await og(
      ['completion', ...devnetArgs(), '-m', 'devnet/tiny', '-p', 'The river'],
      { home, env },
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    const teeId = /TEE ID: (0x[0-9a-f]{64})/.exec(result.stdout)?.[1]
    expect(result.stdout).toBe(
      [
        'Running TEE LLM completion for model "devnet/tiny"',
        '',
        '✅ LLM completion Successful',
        '──────────────────────────────────────',
        'Model: devnet/tiny',
        'Source: OpenGradient TEE',
        'TEE Node:',
        `  Endpoint: ${testDevnet().rpcUrl}`,
        `  TEE ID: ${teeId}`,
        'Payment: none asked',
        '──────────────────────────────────────',
        'LLM Output:',
        '',
        ' is a small harbor.',
        '',
        '',
      ].join('\n'),
    )
  })

  test('args: --json, --max-tokens, --stop, --x402-settlement-mode', async () => {
    const home = await createHome()
    const result = await og(
      [
        'completion',
        ...devnetArgs(),
        '--json',
        '-m',
        'devnet/tiny',
        '-p',
        'The river',
        '--max-tokens',
        '10',
        '--stop',
        ' small',
        '--x402-settlement-mode',
        'settle-batch',
      ],
      { home, env },
    )
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      model: 'devnet/tiny',
      text: ' is a',
      finishReason: 'stop',
      usage: { promptTokens: 2, completionTokens: 3, totalTokens: 5 },
      tee: { teeId: expect.stringMatching(/^0x/) },
      settlement: { mode: 'batch' },
      payment: null,
      proof: null,
    })
  })

  test('args: --tee --verify --max-payment --settlement', async () => {
    const home = await createHome()
    const args = [
      'completion',
      ...devnetArgs(),
      '--tee',
      '--verify',
      '--max-payment',
      '0.1',
      '--settlement',
      'private',
      '-m',
      'devnet/tiny',
      '-p',
      'The river',
    ]
    const result = await og(args, { home, env: payer.env })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout.split('\n')).toEqual([
      'Running TEE LLM completion for model "devnet/tiny"',
      '',
      '✅ LLM completion Successful',
      '──────────────────────────────────────',
      'Model: devnet/tiny',
      'Source: OpenGradient TEE',
      'TEE Node:',
      expect.stringMatching(/^ {2}Endpoint: https:\/\/127\.0\.0\.1:\d+$/),
      expect.stringMatching(/^ {2}TEE ID: 0x[0-9a-f]{64}$/),
      expect.stringMatching(/^ {2}Payment address: 0x[0-9a-fA-F]{40}$/),
      expect.stringMatching(/^ {2}Signature: verified \(message hash 0x[0-9a-f]{64}\)$/),
      expect.stringMatching(
        /^Payment: upto on eip155:10744, up to 0\.1 OPG to 0x[0-9a-fA-F]{40} \(session [0-9a-f-]{36}\)$/,
      ),
      '──────────────────────────────────────',
      'LLM Output:',
      '',
      ' is a small harbor.',
      '',
      '',
    ])

    const json = await og([...args, '--json'], { home, env: payer.env })
    expect(json.exitCode).toBe(0)
    const output = JSON.parse(json.stdout)
    expect(output).toMatchObject({
      model: 'devnet/tiny',
      text: ' is a small harbor.',
      settlement: { mode: 'private' },
      payment: { scheme: 'upto', network: 'eip155:10744', payer: payer.address },
      tee: { endpoint: expect.stringMatching(/^https:/), verified: true },
      proof: { messageHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) },
    })
    expect(output.payment).toEqual(output.settlement.payment)
  })

  test('behavior: a network without a gateway URL calls a TEE of its registry and pays on Base', async () => {
    // The Alpha testnet's preset has no gateway URL; pointed at the devnet (same chain id and
    // registry address) the CLI finds the devnet's TEE, whose offer on the devnet chain cannot
    // be paid on Base: the call reached the TEE through the registry, paying on Base.
    const home = await createHome()
    const result = await og(
      [
        'completion',
        '--network',
        'alpha',
        '--rpc-url',
        testDevnet().rpcUrl,
        '-m',
        'devnet/tiny',
        '-p',
        'The river',
      ],
      { home, env: payer.env },
    )
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(
      'Error: The server offers no payment this client can make (schemes upto, exact on eip155:8453).',
    )
    expect(result.stderr).toMatch(/Request: \w+ https:\/\/127\.0\.0\.1:\d+\/v1\/completions/)
  })

  test('args: --onchain --mode TEE', async () => {
    const home = await createHome()
    const result = await og(
      [
        'completion',
        ...devnetArgs(),
        '--onchain',
        '--mode',
        'TEE',
        '-m',
        'meta-llama/Llama-3.1-70B-Instruct',
        '-p',
        'The river',
        '--stop-sequence',
        '.',
      ],
      { home, env },
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(
      /^Running LLM completion inference for model "meta-llama\/Llama-3.1-70B-Instruct"\n\n✅ LLM completion Successful\n─+\nModel CID: meta-llama\/Llama-3.1-70B-Instruct\nTransaction hash: [0-9a-f]{64}\n─+\nLLM Output:\n\n is a small harbor\n\n$/,
    )
    const json = await og(
      ['completion', ...devnetArgs(), '--json', '--onchain', '-m', 'devnet/tiny', '-p', 'The'],
      { home, env },
    )
    expect(JSON.parse(json.stdout)).toMatchObject({
      model: 'devnet/tiny',
      transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      inferenceId: expect.stringMatching(/^0x/),
      text: expect.any(String),
    })
  })

  test('error: usage errors exit 2', async () => {
    const home = await createHome()
    const modeWithoutOnchain = await og(
      ['completion', ...devnetArgs(), '-m', 'devnet/tiny', '-p', 'x', '--mode', 'TEE'],
      { home, env },
    )
    expect(modeWithoutOnchain.exitCode).toBe(2)
    expect(modeWithoutOnchain.stderr).toContain('--mode applies to on-chain calls: add --onchain.')
    const badTokens = await og(
      ['completion', ...devnetArgs(), '-m', 'devnet/tiny', '-p', 'x', '--max-tokens', 'many'],
      { home, env },
    )
    expect(badTokens.exitCode).toBe(2)
    const teeWithOnchain = await og(
      ['completion', ...devnetArgs(), '-m', 'devnet/tiny', '-p', 'x', '--onchain', '--tee'],
      { home, env },
    )
    expect(teeWithOnchain.exitCode).toBe(2)
    expect(teeWithOnchain.stderr).toContain('apply to the LLM gateway, not to --onchain.')
    const badMaxPayment = await og(
      ['completion', ...devnetArgs(), '-m', 'devnet/tiny', '-p', 'x', '--max-payment', '-1'],
      { home, env },
    )
    expect(badMaxPayment.exitCode).toBe(2)
  })

  test('error: the TEE path needs an account', async () => {
    const home = await createHome()
    const result = await og(['completion', '--network', 'alpha', '-m', 'openai/gpt-5', '-p', 'x'], {
      home,
      env: {},
    })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(
      'Insufficient information to create client. Some commands may not be available.',
    )
  })

  test('error: a model the gateway refuses exits 1', async () => {
    const home = await createHome()
    const result = await og(['completion', ...devnetArgs(), '-m', 'devnet/none', '-p', 'x'], {
      home,
      env,
    })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(
      'Error: The LLM gateway answered the completion request with HTTP 400 Bad Request.',
    )
    expect(result.stderr).toContain('Model not supported: Unknown model "none".')
  })
})
