import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { devnetArgs, signUpAndLogin } from '../../test/hub.js'
import { createHome, og } from '../../test/utils.js'

async function repository(home: string): Promise<string> {
  await signUpAndLogin(home)
  const name = `repo-${randomUUID().slice(0, 8)}`
  await og([...devnetArgs(), 'create-model-repo', '-r', name, '-d', ''], { home })
  return name
}

describe('og create-version', () => {
  test('default', async () => {
    const home = await createHome()
    const name = await repository(home)
    const result = await og([...devnetArgs(), 'create-version', '--repo', name, '-n', 'v2'], {
      home,
    })
    expect(result).toEqual({
      exitCode: 0,
      stdout: 'New version created successfully: {"versionString":"0.02"}\n',
      stderr: '',
    })
  })

  test('args: --major and --json', async () => {
    const home = await createHome()
    const name = await repository(home)
    const result = await og([...devnetArgs(), 'create-version', '-r', name, '-m', '--json'], {
      home,
    })
    expect(JSON.parse(result.stdout)).toEqual({ versionString: '1.00' })
  })

  test('error: unknown repository', async () => {
    const home = await createHome()
    await signUpAndLogin(home)
    const result = await og([...devnetArgs(), 'create-version', '-r', 'no-such-repo', '--json'], {
      home,
    })
    expect(result.exitCode).toBe(1)
    expect(JSON.parse(result.stderr).error).toMatchObject({
      name: 'NotFoundError',
      message: "Version creation failed: Model 'no-such-repo' not found.",
    })
  })
})
