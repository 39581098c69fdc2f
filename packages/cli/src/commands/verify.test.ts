import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  ElementType,
  encodeModel,
  floatInitializer,
  node,
  tensorValue,
} from '../../../devnet/scripts/onnx-builder.mjs'
import { devnetArgs, fundedKeyEnv, signUpAndLogin } from '../../test/hub.js'
import { createHome, og } from '../../test/utils.js'

/** `y = x · k + b`, with weights unique to this run, so the file's CID is new to the devnet. */
function uniqueModel(): { bytes: Uint8Array; k: number } {
  const k = 2 + Math.floor(Math.random() * 1000) / 8
  const bytes = encodeModel({
    name: `scale-${randomUUID()}`,
    inputs: [tensorValue('x', ElementType.float, [1, 3])],
    outputs: [tensorValue('y', ElementType.float, [1, 3])],
    initializers: [floatInitializer('k', [1], [k]), floatInitializer('b', [3], [0.5, -1, 0.25])],
    nodes: [node('Mul', ['x', 'k'], ['scaled']), node('Add', ['scaled', 'b'], ['y'])],
  })
  return { bytes, k }
}

describe('og verify', () => {
  test('default: a model uploaded through the hub runs under its CID and verifies', async () => {
    const home = await createHome()
    const env = await fundedKeyEnv()
    await signUpAndLogin(home)
    const repo = `repo-${randomUUID().slice(0, 8)}`
    await og([...devnetArgs(), 'create-model-repo', '-r', repo, '-d', 'verify test'], { home })
    const { bytes, k } = uniqueModel()
    const file = join(home, 'scale.onnx')
    await writeFile(file, bytes)
    const upload = await og(
      [...devnetArgs(), 'upload-file', file, '-r', repo, '-v', '0.01', '--json'],
      { home },
    )
    const { modelCid } = JSON.parse(upload.stdout)

    const inferred = await og(
      [...devnetArgs(), 'infer', '-m', modelCid, '-d', '{"x": [[1, 2.5, -4]]}', '--json'],
      { home, env },
    )
    expect(inferred.exitCode).toBe(0)
    const { transactionHash, modelOutput } = JSON.parse(inferred.stdout)
    expect(modelOutput.numbers.y.data).toEqual([
      Math.fround(k + 0.5),
      Math.fround(2.5 * k - 1),
      Math.fround(-4 * k + 0.25),
    ])

    const result = await og([...devnetArgs(), 'verify', '--tx', transactionHash], { home, env })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(
      `Model: ${modelCid} (downloaded and checked against its content id)`,
    )
    expect(result.stdout).toContain('  ✔ y (number): max |difference| 0\n')
    expect(result.stdout).toMatch(/Verified: every output matches a re-run of the model\.\n$/)

    const json = await og([...devnetArgs(), 'verify', '--tx', transactionHash.slice(2), '--json'], {
      home,
      env,
    })
    expect(JSON.parse(json.stdout)).toMatchObject({
      verified: true,
      modelCid,
      outputs: [{ name: 'y', matches: true }],
    })
  })

  test('error: not a transaction hash', async () => {
    const home = await createHome()
    const result = await og([...devnetArgs(), 'verify', '--tx', '0x1234'], { home })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('Error: "0x1234" is not a transaction hash.')
  })

  test('error: a transaction without an inference', async () => {
    const home = await createHome()
    const hash = `0x${'cd'.repeat(32)}`
    const result = await og([...devnetArgs(), 'verify', '--tx', hash], { home })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(`Error: The transaction "${hash}" has no receipt.`)
  })
})
