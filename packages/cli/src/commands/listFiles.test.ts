import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { devnetArgs, signUpAndLogin } from '../../test/hub.js'
import { createHome, og } from '../../test/utils.js'

describe('og list-files', () => {
  test('default', async () => {
    const home = await createHome()
    await signUpAndLogin(home)
    const repo = `repo-${randomUUID().slice(0, 8)}`
    await og([...devnetArgs(), 'create-model-repo', '-r', repo, '-d', ''], { home })
    const empty = await og([...devnetArgs(), 'list-files', '-r', repo, '-v', '0.01'], { home })
    expect(empty.stdout).toBe(`No files found for ${repo} version 0.01\n`)

    const file = join(home, 'model.onnx')
    await writeFile(file, 'twelve bytes')
    const upload = await og(
      [...devnetArgs(), 'upload-file', file, '-r', repo, '-v', '0.01', '--json'],
      {
        home,
      },
    )
    const { modelCid } = JSON.parse(upload.stdout)
    const result = await og([...devnetArgs(), 'list-files', '--repo', repo, '--version', '0.01'], {
      home,
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(
      [
        `Files for ${repo} version 0.01:`,
        `  NAME        SIZE (bytes)  CID`,
        `  model.onnx  12            ${modelCid}`,
        '',
      ].join('\n'),
    )
    const json = await og([...devnetArgs(), 'list-files', '-r', repo, '-v', '0.01', '--json'], {
      home,
    })
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'model.onnx', size: 12, ipfsCid: modelCid, createdAt: expect.any(String) },
    ])
  })

  test('error: unknown version', async () => {
    const home = await createHome()
    await signUpAndLogin(home)
    const repo = `repo-${randomUUID().slice(0, 8)}`
    await og([...devnetArgs(), 'create-model-repo', '-r', repo, '-d', ''], { home })
    const result = await og([...devnetArgs(), 'list-files', '-r', repo, '-v', '7.00'], { home })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(
      `Error: File listing failed: Version '7.00' of model '${repo}' not found.`,
    )
  })
})
