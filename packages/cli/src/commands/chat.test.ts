import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { createHome, og } from '../../test/utils.js'

// Dev account 9: the on-chain calls of the llm tests use it too (files run one at a time).
const env = { OG_PRIVATE_KEY: '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6' }
const messages = '[{"role": "user", "content": "Tell me about the weather."}]'
const tools =
  '[{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]'

function devnetArgs() {
  return ['--network', 'devnet', '--rpc-url', testDevnet().rpcUrl]
}

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
      /^🌊 Streaming LLM Chat\nModel: devnet\/tiny\nSource: OpenGradient TEE\nResponse:\nThe weather is mild today\.\n\nToken Usage:\n {2}Prompt tokens: 6\n {2}Completion tokens: 6\n {2}Total tokens: 12\nFinish reason: stop\nTEE Node:\n {2}Endpoint: .+\n {2}TEE ID: 0x[0-9a-f]{64}\nChunks received: 7\nContent length: 26 characters\n$/,
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
