import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { computeModelCid } from '@opengradient/hub'
import { describe, expect, test } from 'vitest'
import { devnetArgs, signUpAndLogin } from '../../test/hub.js'
import { createHome, og } from '../../test/utils.js'

async function repository(home: string): Promise<string> {
  await signUpAndLogin(home)
  const name = `repo-${randomUUID().slice(0, 8)}`
  await og([...devnetArgs(), 'create-model-repo', '-r', name, '-d', ''], { home })
  return name
}

describe('og upload-file', () => {
  test('default', async () => {
    const home = await createHome()
    const repo = await repository(home)
    const bytes = new Uint8Array(2_500_000).fill(7)
    const file = join(home, 'weights.bin')
    await writeFile(file, bytes)
    const result = await og(
      [...devnetArgs(), 'upload-file', file, '--repo', repo, '--version', '0.01'],
      {
        home,
      },
    )
    const modelCid = await computeModelCid(bytes)
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(
      `File uploaded successfully: {"modelCid":"${modelCid}","size":2500000}\n`,
    )
    // Not a terminal: progress as plain lines on stderr, at most one per 10 % step (the file
    // is read in 1 MiB chunks).
    expect(result.stderr).toBe(
      [
        'Uploading 0% (0 of 2500000 bytes)',
        'Uploading 40% (1048576 of 2500000 bytes)',
        'Uploading 80% (2097152 of 2500000 bytes)',
        'Uploading 100% (2500000 of 2500000 bytes)',
        '',
      ].join('\n'),
    )
  })

  test('args: -r, -v and --json (no progress lines)', async () => {
    const home = await createHome()
    const repo = await repository(home)
    const file = join(home, 'small.bin')
    await writeFile(file, 'abc')
    const result = await og(
      [...devnetArgs(), 'upload-file', file, '-r', repo, '-v', '0.01', '--json'],
      {
        home,
      },
    )
    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual({
      modelCid: await computeModelCid(new TextEncoder().encode('abc')),
      size: 3,
    })
  })

  test('error: a missing file', async () => {
    const home = await createHome()
    const repo = await repository(home)
    const result = await og(
      [...devnetArgs(), 'upload-file', join(home, 'none.onnx'), '-r', repo, '-v', '0.01'],
      {
        home,
      },
    )
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('Error: Model file not found:')
  })
})
