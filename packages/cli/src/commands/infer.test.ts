import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { createHome, og } from '../../test/utils.js'

const testModel = 'QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ'
const input =
  '{"num_input1": [1, 2, 3], "num_input2": 10, "str_input1": ["hello", "ONNXY"], "str_input2": " world"}'
// Dev account 8: other test files use other accounts on the same devnet.
const env = { OG_PRIVATE_KEY: '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97' }

function devnetArgs() {
  return ['--network', 'devnet', '--rpc-url', testDevnet().rpcUrl]
}

describe('og infer', () => {
  test('default', async () => {
    const home = await createHome()
    const result = await og(['infer', ...devnetArgs(), '-m', testModel, '-d', input], { home, env })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`Running VANILLA inference for model "${testModel}"`)
    expect(result.stdout).toContain('✅ Transaction successful')
    expect(result.stdout).toMatch(/Transaction hash: [0-9a-f]{64}\n/)
    const output = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')))
    expect(output).toEqual({
      num_output1: [11, 12, 13],
      num_output2: [10],
      str_output1: ['hello', 'ONNXY', ' world'],
      str_output2: [' world'],
    })
  })

  test('args: --json with --input-file and --mode TEE', async () => {
    const home = await createHome()
    const file = join(home, 'input.json')
    await writeFile(file, input)
    const result = await og(
      ['infer', ...devnetArgs(), '--json', '-m', testModel, '--mode', 'TEE', '-f', file],
      {
        home,
        env,
      },
    )
    expect(result.exitCode).toBe(0)
    const json = JSON.parse(result.stdout)
    expect(json.transactionHash).toMatch(/^0x[0-9a-f]{64}$/)
    expect(json.inferenceId).toMatch(/^0x/)
    expect(json.modelOutput.numbers.num_output1.data).toEqual([11, 12, 13])
  })

  test('behavior: devnet without a configured key uses dev account 0', async () => {
    const home = await createHome()
    const result = await og(['infer', ...devnetArgs(), '--json', '-m', testModel, '-d', input], {
      home,
    })
    expect(result.exitCode).toBe(0)
  })

  test('error: both or neither input source is a usage error', async () => {
    const home = await createHome()
    const neither = await og(['infer', ...devnetArgs(), '-m', testModel], { home, env })
    expect(neither.exitCode).toBe(2)
    expect(neither.stderr).toContain('Must specify either input_data or input_file')
    const both = await og(
      ['infer', ...devnetArgs(), '-m', testModel, '-d', input, '-f', 'x.json'],
      { home, env },
    )
    expect(both.exitCode).toBe(2)
    expect(both.stderr).toContain('Cannot have both input_data and input_file')
  })

  test('error: an unknown model exits 1 with the revert reason', async () => {
    const home = await createHome()
    const result = await og(['infer', ...devnetArgs(), '-m', 'QmNoSuchModel', '-d', input], {
      home,
      env,
    })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('Model not found: QmNoSuchModel')
  })
})
