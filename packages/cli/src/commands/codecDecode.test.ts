import { inferenceHubAbi } from '@opengradient/contracts'
import { encodeAbiParameters, getAbiItem } from 'viem'
import { describe, expect, test } from 'vitest'
import { createHome, og } from '../../test/utils.js'

const modelOutput = {
  numbers: [
    {
      name: 'Y',
      values: [{ value: '3774157376028597354888916016', decimals: '31' }],
      shape: [1],
    },
    {
      name: 'mat',
      values: [
        { value: '1', decimals: '0' },
        { value: '-15', decimals: '1' },
        { value: '100000001490116119384765625', decimals: '27' },
        { value: '4', decimals: '0' },
      ],
      shape: [2, 2],
    },
  ],
  strings: [{ name: 'greeting', values: ['hello', ' world'] }],
  jsons: [{ name: 'meta', value: '{"ok":true}' }],
  is_simulation_result: false,
}

describe('codec decode', () => {
  test('default', async () => {
    const home = await createHome()
    const result = await og(['codec', 'decode', JSON.stringify(modelOutput)], { home })
    expect(result).toEqual({
      exitCode: 0,
      stdout: [
        'Y (number, shape [1]): [0.0003774157376028597354888916016]',
        'mat (number, shape [2, 2]): [[1, -1.5], [0.100000001490116119384765625, 4]]',
        'greeting (string, shape [2]): ["hello", " world"]',
        'meta (json): {"ok":true}',
        '',
      ].join('\n'),
      stderr: '',
    })
  })

  test('args: --float32', async () => {
    const home = await createHome()
    const result = await og(['codec', 'decode', '--float32', JSON.stringify(modelOutput)], {
      home,
    })
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      `Y (number, shape [1]): [${Math.fround(0.00037741574)}]`,
      `mat (number, shape [2, 2]): [[1, -1.5], [${Math.fround(0.1)}, 4]]`,
    ])
  })

  test('args: --json', async () => {
    const home = await createHome()
    const result = await og(['codec', 'decode', '--json', JSON.stringify(modelOutput)], { home })
    expect(JSON.parse(result.stdout)).toEqual({
      numbers: {
        Y: { shape: [1], values: ['0.0003774157376028597354888916016'] },
        mat: {
          shape: [2, 2],
          values: [
            ['1', '-1.5'],
            ['0.100000001490116119384765625', '4'],
          ],
        },
      },
      strings: { greeting: { shape: [2], values: ['hello', ' world'] } },
      jsons: { meta: { ok: true } },
      isSimulationResult: false,
    })
    const float32 = await og(
      ['codec', 'decode', '--json', '--float32', JSON.stringify(modelOutput)],
      {
        home,
      },
    )
    expect(JSON.parse(float32.stdout).numbers.mat.values).toEqual([
      [1, -1.5],
      [Math.fround(0.1), 4],
    ])
  })

  test('behavior: round trip through encode', async () => {
    const home = await createHome()
    const input =
      '{"x": [[0.1, 2.5], [-3, 1e-7]], "big": 123456789012345678901234567890, "s": ["a", "b"]}'
    const encoded = await og(['codec', 'encode', input], { home })
    const decoded = await og(['codec', 'decode', '-'], { home, stdin: encoded.stdout })
    expect(decoded.stdout).toBe(
      [
        'x (number, shape [2, 2]): [[0.1, 2.5], [-3, 0.0000001]]',
        'big (number, shape [1]): [123456789012345678901234567890]',
        's (string, shape [2]): ["a", "b"]',
        '',
      ].join('\n'),
    )
  })

  test('args: --abi with a ModelOutput and a ModelInput', async () => {
    const home = await createHome()
    const run = getAbiItem({ abi: inferenceHubAbi, name: 'run' })
    const outputHex = encodeAbiParameters(
      [run.outputs[0]],
      [
        {
          numbers: [{ name: 'y', values: [{ value: 11n, decimals: 0n }], shape: [1] }],
          strings: [],
          jsons: [],
          is_simulation_result: true,
        },
      ],
    )
    const output = await og(['codec', 'decode', '--abi', outputHex], { home })
    expect(output.stdout).toBe(
      'Simulation result: the placeholder output of the simulation phase.\ny (number, shape [1]): [11]\n',
    )

    const encoded = await og(['codec', 'encode', '--abi', '{"x":[0.1,2.5]}'], { home })
    const inputHex = encoded.stdout.trimEnd().split('\n')[1]!
    const input = await og(['codec', 'decode', '--abi', inputHex], { home })
    expect(input.stdout).toBe('x (number, shape [2]): [0.1, 2.5]\n')
  })

  test('behavior: an empty output', async () => {
    const home = await createHome()
    const result = await og(['codec', 'decode', '{"numbers":[],"strings":[]}'], { home })
    expect(result.stdout).toBe('No tensors.\n')
  })

  test('error: values do not fit the shape', async () => {
    const home = await createHome()
    const result = await og(
      [
        'codec',
        'decode',
        '{"numbers":[{"name":"x","values":[{"value":"1","decimals":"1"}],"shape":[2]}],"strings":[]}',
      ],
      { home },
    )
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('Error: The values of number tensor "x" do not fit its shape')
  })

  test('error: big integers as JSON numbers are refused, not rounded', async () => {
    const home = await createHome()
    const result = await og(
      [
        'codec',
        'decode',
        '--json',
        '{"numbers":[{"name":"x","values":[{"value":3774157376028597354888916016,"decimals":31}],"shape":[1]}]}',
      ],
      { home },
    )
    expect(result.exitCode).toBe(1)
    expect(JSON.parse(result.stderr)).toMatchObject({
      error: { name: 'InvalidInputError', metaMessages: ['Tensor: "x"', 'Index: 0'] },
    })
  })

  test('error: not JSON, not hex, not a struct', async () => {
    const home = await createHome()
    expect((await og(['codec', 'decode', '{"numbers":'], { home })).stderr).toContain(
      'Error: The model tensor JSON is not valid JSON.',
    )
    const hex = await og(['codec', 'decode', '--abi', '0x12zz'], { home })
    expect(hex.exitCode).toBe(1)
    expect(hex.stderr).toContain('Error: The ABI-encoded input is not hex.')
    const garbage = await og(['codec', 'decode', '--abi', `0x${'00'.repeat(31)}01`], { home })
    expect(garbage.exitCode).toBe(1)
    expect(garbage.stderr).toContain('not the ABI encoding of a ModelOutput or a ModelInput')
    expect((await og(['codec', 'decode', '[1]'], { home })).exitCode).toBe(1)
  })
})
