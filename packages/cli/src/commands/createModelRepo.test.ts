import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { devnetArgs, signUpAndLogin } from '../../test/hub.js'
import { createHome, og } from '../../test/utils.js'

describe('og create-model-repo', () => {
  test('default', async () => {
    const home = await createHome()
    await signUpAndLogin(home)
    const name = `repo-${randomUUID().slice(0, 8)}`
    const result = await og(
      [...devnetArgs(), 'create-model-repo', '--repo', name, '-d', 'A model'],
      { home },
    )
    expect(result).toEqual({
      exitCode: 0,
      stdout: `Model repository created successfully: {"name":"${name}","initialVersion":"0.01"}\n`,
      stderr: '',
    })
  })

  test('args: --name, -r and --json', async () => {
    const home = await createHome()
    await signUpAndLogin(home)
    for (const flag of ['--name', '-r']) {
      const name = `repo-${randomUUID().slice(0, 8)}`
      const result = await og(
        [...devnetArgs(), 'create-model-repo', flag, name, '--description', 'x', '--json'],
        { home },
      )
      expect(JSON.parse(result.stdout)).toEqual({ name, initialVersion: '0.01' })
    }
  })

  test('behavior: without a saved session, OG_EMAIL and OG_PASSWORD sign in', async () => {
    const home = await createHome()
    const user = await signUpAndLogin(await createHome())
    const name = `repo-${randomUUID().slice(0, 8)}`
    const result = await og([...devnetArgs(), 'create-model-repo', '-r', name, '-d', ''], {
      home,
      env: { OG_EMAIL: user.email, OG_PASSWORD: user.password },
    })
    expect(result.exitCode).toBe(0)
  })

  test('error: not signed in', async () => {
    const home = await createHome()
    const result = await og([...devnetArgs(), 'create-model-repo', '-r', 'x', '-d', 'y'], {
      home,
    })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('Error: Not signed in to the Model Hub.')
    expect(result.stderr).toContain("Run 'opengradient login' first")
  })

  test('error: no repository name', async () => {
    const home = await createHome()
    const result = await og([...devnetArgs(), 'create-model-repo', '-d', 'y'], { home })
    expect(result.exitCode).toBe(2)
  })
})
