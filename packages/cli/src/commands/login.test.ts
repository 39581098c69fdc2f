import { randomUUID } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { devnetArgs } from '../../test/hub.js'
import { createHome, og } from '../../test/utils.js'

async function addUser(home: string) {
  const email = `login-${randomUUID()}@example.com`
  const password = 'login-password'
  await og(
    ['devnet', 'users', 'add', email, '--password', password, '--data-dir', testDevnet().dataDir],
    { home },
  )
  return { email, password }
}

describe('og login', () => {
  test('default', async () => {
    const home = await createHome()
    const { email, password } = await addUser(home)
    const result = await og([...devnetArgs(), 'login', '--email', email, '--password', password], {
      home,
    })
    const sessionFile = join(home, '.opengradient_hub_session.json')
    expect(result).toEqual({
      exitCode: 0,
      stdout: `Signed in to the Model Hub as ${email}.\nSession saved to ${sessionFile} (readable only by you).\n`,
      stderr: '',
    })
    expect((await stat(sessionFile)).mode & 0o777).toBe(0o600)
    const saved = JSON.parse(await readFile(sessionFile, 'utf8'))
    expect(saved.sessions[`${testDevnet().rpcUrl}/api/v0`]).toMatchObject({
      email,
      idToken: expect.any(String),
      refreshToken: expect.any(String),
    })
    expect(JSON.stringify(saved)).not.toContain(password)
    // The password is not stored in the config either.
    await expect(readFile(join(home, '.opengradient_config.json'), 'utf8')).rejects.toThrow()
  })

  test('args: prompts for missing values; --json', async () => {
    const home = await createHome()
    const { email, password } = await addUser(home)
    const result = await og([...devnetArgs(), 'login', '--json'], {
      home,
      stdin: `${email}\n${password}\n`,
    })
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      email,
      hub: `${testDevnet().rpcUrl}/api/v0`,
      sessionFile: join(home, '.opengradient_hub_session.json'),
    })
    expect(result.stderr).toContain('Model Hub email address: ')
  })

  test('args: --save-password stores the credentials in the config file', async () => {
    const home = await createHome()
    const { email, password } = await addUser(home)
    const result = await og(
      [...devnetArgs(), 'login', '--email', email, '--password', password, '--save-password'],
      { home },
    )
    expect(result.exitCode).toBe(0)
    const config = JSON.parse(await readFile(join(home, '.opengradient_config.json'), 'utf8'))
    expect(config).toMatchObject({ email, password })
  })

  test('error: wrong password', async () => {
    const home = await createHome()
    const { email } = await addUser(home)
    const result = await og(
      [...devnetArgs(), 'login', '--email', email, '--password', 'not-the-password'],
      { home },
    )
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(
      'Error: Sign-in failed: the email address or the password is wrong.',
    )
    expect(result.stderr).not.toContain('not-the-password')
  })
})
