import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { addHubUser, hashPassword, hubUsersFile, readHubUsers, verifyPassword } from './users.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'og-users-'))
  dirs.push(dir)
  return dir
}

describe('addHubUser', () => {
  test('default', async () => {
    const dir = await dataDir()
    const result = await addHubUser({
      dataDir: dir,
      email: 'Dev@Example.com',
      password: 'secret-1',
    })
    expect(result).toMatchObject({
      email: 'Dev@Example.com',
      created: true,
      file: hubUsersFile(dir),
    })
    const user = (await readHubUsers(dir)).get('dev@example.com')!
    expect(user.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/)
    expect(await verifyPassword('secret-1', user.passwordHash)).toBe(true)
    expect(await readFile(hubUsersFile(dir), 'utf8')).not.toContain('secret-1')
    expect((await stat(hubUsersFile(dir))).mode & 0o777).toBe(0o600)
  })

  test('behavior: adding again replaces the password and keeps the id', async () => {
    const dir = await dataDir()
    const first = await addHubUser({ dataDir: dir, email: 'a@b.c', password: 'first-pw' })
    const second = await addHubUser({
      dataDir: dir,
      email: 'A@B.C',
      password: 'second-pw',
      tokenLifetime: 5,
    })
    expect(second).toMatchObject({ localId: first.localId, created: false })
    const user = (await readHubUsers(dir)).get('a@b.c')!
    expect(user.tokenLifetime).toBe(5)
    expect(await verifyPassword('first-pw', user.passwordHash)).toBe(false)
    expect(await verifyPassword('second-pw', user.passwordHash)).toBe(true)
  })

  test('error: invalid email, short password, bad lifetime', async () => {
    const dir = await dataDir()
    await expect(addHubUser({ dataDir: dir, email: 'nope', password: 'secret-1' })).rejects.toThrow(
      '"nope" is not an email address.',
    )
    await expect(addHubUser({ dataDir: dir, email: 'a@b.c', password: '12345' })).rejects.toThrow(
      'The password must have at least 6 characters.',
    )
    await expect(
      addHubUser({ dataDir: dir, email: 'a@b.c', password: '123456', tokenLifetime: 0 }),
    ).rejects.toThrow('The token lifetime must be a whole number of seconds, got 0.')
  })
})

describe('hashPassword', () => {
  test('default', async () => {
    const first = await hashPassword('pw')
    expect(first).not.toBe(await hashPassword('pw'))
    expect(await verifyPassword('pw', first)).toBe(true)
    expect(await verifyPassword('pw2', first)).toBe(false)
  })
})
