import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { createHome, og } from '../../test/utils.js'

// Dev account 9: the on-chain calls of the llm tests use it too (files run one at a time).
const env = { OG_PRIVATE_KEY: '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6' }

function devnetArgs() {
  return ['--network', 'devnet', '--rpc-url', testDevnet().rpcUrl]
}

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
    })
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
    const noGateway = await og(
      ['completion', '--network', 'alpha', '-m', 'openai/gpt-5', '-p', 'x'],
      {
        home,
        env,
      },
    )
    expect(noGateway.exitCode).toBe(2)
    expect(noGateway.stderr).toContain('No LLM gateway URL is known for the network "alpha".')
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
