import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { inferenceHubAbi } from '@opengradient/contracts'
import { decodeAbiParameters, getAbiItem } from 'viem'
import { describe, expect, test } from 'vitest'
import { createHome, og } from '../../test/utils.js'

const encodedX =
  '{"numbers":[{"name":"x","values":[{"value":"1","decimals":"1"},{"value":"25","decimals":"1"}],"shape":[2]}],"strings":[]}'

describe('codec encode', () => {
  test('default', async () => {
    const home = await createHome()
    expect(await og(['codec', 'encode', '{"x":[0.1,2.5]}'], { home })).toEqual({
      exitCode: 0,
      stdout: `${encodedX}\n`,
      stderr: '',
    })
  })

  test('behavior: the reference conversion, numbers exact', async () => {
    const home = await createHome()
    const result = await og(
      [
        'codec',
        'encode',
        '{"num_input1": [1.0, 2.0, 3.0], "num_input2": 10, "str_input1": ["hello", "ONNX"], "str_input2": " world", "mat": [[1,2],[3,4]], "big": 12345678901234567890, "p": 0.30000000000000004}',
      ],
      { home },
    )
    expect(result.exitCode).toBe(0)
    const output = JSON.parse(result.stdout)
    expect(output.numbers.map((tensor: { name: string }) => tensor.name)).toEqual([
      'num_input1',
      'num_input2',
      'mat',
      'big',
      'p',
    ])
    expect(output.numbers[2]).toEqual({
      name: 'mat',
      values: [1, 2, 3, 4].map((value) => ({ value: String(value), decimals: '0' })),
      shape: [2, 2],
    })
    expect(output.numbers[3].values).toEqual([{ value: '12345678901234567890', decimals: '0' }])
    expect(output.numbers[4].values).toEqual([{ value: '30000000000000004', decimals: '17' }])
    expect(output.strings).toEqual([
      { name: 'str_input1', values: ['hello', 'ONNX'] },
      { name: 'str_input2', values: [' world'] },
    ])
  })

  test('args: --abi', async () => {
    const home = await createHome()
    const result = await og(['codec', 'encode', '--abi', '{"x":[0.1,2.5]}'], { home })
    expect(result.exitCode).toBe(0)
    const [struct, hex] = result.stdout.trimEnd().split('\n')
    expect(struct).toBe(encodedX)
    const parameter = getAbiItem({ abi: inferenceHubAbi, name: 'run' }).inputs[2]
    expect(decodeAbiParameters([parameter], hex as `0x${string}`)).toEqual([
      {
        numbers: [
          {
            name: 'x',
            values: [
              { value: 1n, decimals: 1n },
              { value: 25n, decimals: 1n },
            ],
            shape: [2],
          },
        ],
        strings: [],
      },
    ])
    const json = await og(['codec', 'encode', '--abi', '--json', '{"x":[0.1,2.5]}'], { home })
    expect(JSON.parse(json.stdout)).toEqual({ modelInput: JSON.parse(encodedX), abi: hex })
  })

  test('args: --file and stdin', async () => {
    const home = await createHome()
    const path = join(home, 'input.json')
    await writeFile(path, '{"x": [0.1, 2.5]}\n')
    expect((await og(['codec', 'encode', '--file', path], { home })).stdout).toBe(`${encodedX}\n`)
    expect((await og(['codec', 'encode', '-'], { home, stdin: '{"x":[0.1,2.5]}' })).stdout).toBe(
      `${encodedX}\n`,
    )
    expect(
      (await og(['codec', 'encode', '--file', '-'], { home, stdin: '{"x":[0.1,2.5]}' })).stdout,
    ).toBe(`${encodedX}\n`)
  })

  test('args: --json', async () => {
    const home = await createHome()
    const result = await og(['codec', 'encode', '{"x":[0.1,2.5]}', '--json'], { home })
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(encodedX))
  })

  test('behavior: a string tensor of rank 2 is sent flat, with a warning', async () => {
    const home = await createHome()
    const result = await og(['codec', 'encode', '{"s":[["a","b"],["c","d"]]}'], { home })
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout).strings).toEqual([{ name: 's', values: ['a', 'b', 'c', 'd'] }])
    expect(result.stderr).toMatch(/^Warning: The string tensor "s" has shape \[2, 2\]/)
  })

  test('error: a number that overflows names the tensor and index', async () => {
    const home = await createHome()
    const result = await og(['codec', 'encode', '{"x":[1, 1e999]}'], { home })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('Tensor: "x"\n  Index: 1\n')
    const json = await og(['codec', 'encode', '--json', '{"x":[1, 1e999]}'], { home })
    expect(JSON.parse(json.stderr)).toMatchObject({
      error: { name: 'InvalidInputError', metaMessages: ['Tensor: "x"', 'Index: 1'] },
    })
  })

  test('error: ragged arrays', async () => {
    const home = await createHome()
    const result = await og(['codec', 'encode', '{"x":[[1,2],[3]]}'], { home })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('rectangular')
    expect(result.stderr).toContain('Tensor: "x"')
  })

  test('error: mixed numbers and strings', async () => {
    const home = await createHome()
    const result = await og(['codec', 'encode', '{"x":[1,"a"]}'], { home })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('cannot mix numbers and strings')
    expect(result.stderr).toContain('Index: 1')
  })

  test('error: not JSON', async () => {
    const home = await createHome()
    const result = await og(['codec', 'encode', '{"x":[1,'], { home })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('Error: The model input is not valid JSON')
  })

  test('error: no input, two inputs, a missing file', async () => {
    const home = await createHome()
    const none = await og(['codec', 'encode'], { home })
    expect(none.exitCode).toBe(2)
    expect(none.stderr).toContain('Error: No model input JSON given.')
    const both = await og(['codec', 'encode', '{}', '--file', 'x.json'], { home })
    expect(both.exitCode).toBe(2)
    const missing = await og(['codec', 'encode', '--file', join(home, 'nope.json')], { home })
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toContain('does not exist')
  })
})
