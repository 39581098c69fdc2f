import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { fundedPayer, type Payer, paymentSessionsOf } from '../../test/payer.js'
import { createHome, og } from '../../test/utils.js'

// Dev account 9: the on-chain calls of the llm tests use it too (files run one at a time).
const env = { OG_PRIVATE_KEY: '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6' }
const messages = '[{"role": "user", "content": "Tell me about the weather."}]'
const tools =
  '[{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]'

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

describe('og chat', () => {
  test('default', async () => {
    const home = await createHome()
    const result = await og(
      ['chat', ...devnetArgs(), '-m', 'devnet/tiny', '--messages', messages],
      {
        home,
        env,
      },
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines.slice(0, 5)).toEqual([
      'Running TEE LLM chat for model "devnet/tiny"',
      '',
      '✅ LLM Chat Successful',
      '──────────────────────────────────────',
      'Model: devnet/tiny',
    ])
    expect(lines.slice(9)).toEqual([
      'Payment: none asked',
      '──────────────────────────────────────',
      'Finish Reason: ',
      '',
      'stop',
      '',
      'Chat Output:',
      '',
      'role: assistant',
      'The weather is mild today.',
      '',
      '',
    ])
  })

  test('args: --stream prints tokens as they arrive', async () => {
    const home = await createHome()
    const result = await og(
      ['chat', ...devnetArgs(), '-m', 'devnet/tiny', '--messages', messages, '--stream'],
      { home, env },
    )
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(
      /^🌊 Streaming LLM Chat\nModel: devnet\/tiny\nSource: OpenGradient TEE\nResponse:\nThe weather is mild today\.\n\nToken Usage:\n {2}Prompt tokens: 6\n {2}Completion tokens: 6\n {2}Total tokens: 12\nFinish reason: stop\nTEE Node:\n {2}Endpoint: .+\n {2}TEE ID: 0x[0-9a-f]{64}\nPayment: none asked\nChunks received: 7\nContent length: 26 characters\n$/,
    )
  })

  test('args: --tools-file, --messages-file and --json', async () => {
    const home = await createHome()
    await writeFile(join(home, 'tools.json'), tools)
    await writeFile(join(home, 'messages.json'), messages)
    const result = await og(
      [
        'chat',
        ...devnetArgs(),
        '--json',
        '-m',
        'devnet/script',
        '--messages-file',
        join(home, 'messages.json'),
        '--tools-file',
        join(home, 'tools.json'),
        '--tool-choice',
        'required',
      ],
      { home, env },
    )
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      model: 'devnet/script',
      finishReason: 'stop',
      message: { role: 'assistant', content: 'You said: Tell me about the weather.' },
    })
  })

  test('args: --stream --json with tools', async () => {
    const home = await createHome()
    const result = await og(
      [
        'chat',
        ...devnetArgs(),
        '--json',
        '--stream',
        '-m',
        'devnet/tiny',
        '--messages',
        messages,
        '--tools',
        tools,
      ],
      { home, env },
    )
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      model: 'devnet/tiny',
      isFinal: true,
      finishReason: 'stop',
      chunks: 1,
      contentLength: 26,
    })
  })

  test('args: --onchain', async () => {
    const home = await createHome()
    const result = await og(
      ['chat', ...devnetArgs(), '--onchain', '-m', 'devnet/tiny', '--messages', messages],
      { home, env },
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(
      /^Running LLM chat inference for model "devnet\/tiny"\n\n✅ LLM Chat Successful\n─+\nModel CID: devnet\/tiny\nTransaction hash: [0-9a-f]{64}\n─+\nFinish Reason: \n\nstop\n\nChat Output:\n\nrole: assistant\nThe weather is mild today\.\n\n$/,
    )
  })

  test('error: the reference usage errors', async () => {
    const home = await createHome()
    const run = (args: string[]) =>
      og(['chat', ...devnetArgs(), '-m', 'devnet/tiny', ...args], { home, env })
    const cases: [string[], string][] = [
      [[], 'Must specify either messages or messages-file'],
      [
        ['--messages', messages, '--messages-file', 'x.json'],
        'Cannot have both messages and messages-file',
      ],
      [['--messages', '[{'], 'Failed to parse messages:'],
      [
        ['--messages', messages, '--tools', tools, '--tools-file', 'x.json'],
        'Cannot have both tools and tools-file',
      ],
      [['--messages', messages, '--tools', '{}'], 'Tools must be a JSON array'],
      [['--messages', messages, '--tools', '[{'], 'Failed to parse tools JSON:'],
      [
        ['--messages', messages, '--tools-file', join(home, 'none.json')],
        'Failed to load JSON from tools_file:',
      ],
      [['--messages', messages, '--onchain', '--stream'], '--stream applies to the LLM gateway'],
    ]
    for (const [args, message] of cases) {
      const result = await run(args)
      expect(result.exitCode, message).toBe(2)
      expect(result.stderr, message).toContain(message)
    }
  })
})

describe('og chat --tee', () => {
  const teePayment =
    /^Payment: upto on eip155:10744, up to 0\.1 OPG to 0xBcd4042DE499D14e55001CcbB24a551F3b954096 \(session ([0-9a-f-]{36})\)$/

  test('args: --tee --verify pays the registry TEE and verifies its signature', async () => {
    const home = await createHome()
    const result = await og(
      ['chat', ...devnetArgs(), '--tee', '--verify', '-m', 'devnet/tiny', '--messages', messages],
      { home, env: payer.env },
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines).toEqual([
      'Running TEE LLM chat for model "devnet/tiny"',
      '',
      '✅ LLM Chat Successful',
      '──────────────────────────────────────',
      'Model: devnet/tiny',
      'Source: OpenGradient TEE',
      'TEE Node:',
      expect.stringMatching(/^ {2}Endpoint: https:\/\/127\.0\.0\.1:\d+$/),
      expect.stringMatching(/^ {2}TEE ID: 0x[0-9a-f]{64}$/),
      expect.stringMatching(/^ {2}Payment address: 0x[0-9a-fA-F]{40}$/),
      expect.stringMatching(/^ {2}Signature: verified \(message hash 0x[0-9a-f]{64}\)$/),
      expect.stringMatching(teePayment),
      '──────────────────────────────────────',
      'Finish Reason: ',
      '',
      'stop',
      '',
      'Chat Output:',
      '',
      'role: assistant',
      'The weather is mild today.',
      '',
      '',
    ])
    // The session printed is the one the TEE opened for this account, charged once.
    const session = teePayment.exec(lines[11] as string)?.[1]
    const sessions = await paymentSessionsOf(payer.address)
    expect(sessions.find((candidate) => candidate.id === session)).toMatchObject({
      cap: '100000000000000000',
      requests: 1,
      state: 'open',
    })
  })

  test('args: --tee --verify --stream, and --json with --settlement', async () => {
    const home = await createHome()
    const result = await og(
      [
        'chat',
        ...devnetArgs(),
        '--tee',
        '--verify',
        '--stream',
        '-m',
        'devnet/tiny',
        '--messages',
        messages,
      ],
      { home, env: payer.env },
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout.split('\n').slice(10)).toEqual([
      'Finish reason: stop',
      'TEE Node:',
      expect.stringMatching(/^ {2}Endpoint: https:\/\/127\.0\.0\.1:\d+$/),
      expect.stringMatching(/^ {2}TEE ID: 0x[0-9a-f]{64}$/),
      expect.stringMatching(/^ {2}Signature: verified \(message hash 0x[0-9a-f]{64}\)$/),
      expect.stringMatching(teePayment),
      'Chunks received: 7',
      'Content length: 26 characters',
      '',
    ])

    for (const stream of [[], ['--stream']]) {
      const json = await og(
        [
          'chat',
          ...devnetArgs(),
          '--json',
          '--tee',
          '--verify',
          ...stream,
          '--settlement',
          'individual',
          '-m',
          'devnet/tiny',
          '--messages',
          messages,
        ],
        { home, env: payer.env },
      )
      expect(json.exitCode, stream.join()).toBe(0)
      const output = JSON.parse(json.stdout)
      expect(output, stream.join()).toMatchObject({
        model: 'devnet/tiny',
        finishReason: 'stop',
        message: { content: 'The weather is mild today.' },
        settlement: { mode: 'individual' },
        payment: {
          scheme: 'upto',
          network: 'eip155:10744',
          amount: '100000000000000000',
          payer: payer.address,
          session: expect.stringMatching(/^[0-9a-f-]{36}$/),
          reusedSession: false,
        },
        tee: {
          teeId: expect.stringMatching(/^0x[0-9a-f]{64}$/),
          endpoint: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/),
          verified: true,
        },
        proof: { messageHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) },
      })
      expect(output.proof.teeId).toBe(output.tee.teeId)
    }
  })

  test('error: an offer above --max-payment is refused before anything is signed', async () => {
    const home = await createHome()
    const before = await paymentSessionsOf(payer.address)
    const result = await og(
      [
        'chat',
        ...devnetArgs(),
        '--tee',
        '--max-payment',
        '0.01',
        '-m',
        'devnet/tiny',
        '--messages',
        messages,
      ],
      { home, env: payer.env },
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).not.toContain('Successful')
    expect(result.stderr).toContain(
      'Error: The payment asked for exceeds "maxPayment" (10000000000000000 base units); nothing was signed.',
    )
    expect(result.stderr).toContain('Offer: upto on eip155:10744, 100000000000000000 of 0x')
    const json = await og(
      [
        'chat',
        ...devnetArgs(),
        '--json',
        '--tee',
        '--max-payment',
        '0.01',
        '-m',
        'devnet/tiny',
        '--messages',
        messages,
      ],
      { home, env: payer.env },
    )
    expect(json.exitCode).toBe(1)
    expect(JSON.parse(json.stderr).error.name).toBe('PaymentError')
    // No payment reached the TEE: it opened no session for the account.
    expect(await paymentSessionsOf(payer.address)).toEqual(before)
  })

  test('error: payment and TEE options used wrongly are usage errors', async () => {
    const home = await createHome()
    const run = (args: string[]) =>
      og(['chat', ...devnetArgs(), '-m', 'devnet/tiny', '--messages', messages, ...args], {
        home,
        env: payer.env,
      })
    const cases: [string[], string][] = [
      [['--tee', '--onchain'], 'apply to the LLM gateway, not to --onchain.'],
      [['--verify', '--onchain'], 'apply to the LLM gateway, not to --onchain.'],
      [['--max-payment', '0.1', '--onchain'], 'apply to the LLM gateway, not to --onchain.'],
      [['--settlement', 'private', '--onchain'], 'apply to the LLM gateway, not to --onchain.'],
      [['--tee', '--llm-url', 'http://127.0.0.1:1'], '--tee finds the TEE in the TEE registry'],
      [
        ['--max-payment', '1e-3'],
        '--max-payment must be a decimal OPG amount like 0.1, got "1e-3".',
      ],
      [['--verify'], '--verify checks the answer with the TEE registry'],
      [['--settlement', 'everything'], 'Unknown settlement mode "everything".'],
    ]
    for (const [args, message] of cases) {
      const result = await run(args)
      expect(result.exitCode, message).toBe(2)
      expect(result.stderr, message).toContain(message)
    }
  })
})
