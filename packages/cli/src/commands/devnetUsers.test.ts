import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { createHome, og } from '../../test/utils.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function dataDir() {
  const dir = await mkdtemp(join(tmpdir(), 'og-cli-devnet-'))
  dirs.push(dir)
  return dir
}

describe('og devnet users add', () => {
  test('default', async () => {
    const home = await createHome()
    const dir = await dataDir()
    const result = await og(
      ['devnet', 'users', 'add', 'dev@example.com', '--password', 'devnet-pw', '--data-dir', dir],
      { home },
    )
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/^Added devnet hub user dev@example\.com \(\S+\)\.\n/)
    expect(result.stdout).toContain(`Accounts file: ${join(dir, 'hub', 'users.json')}`)
    const file = await readFile(join(dir, 'hub', 'users.json'), 'utf8')
    expect(file).toContain('dev@example.com')
    expect(file).not.toContain('devnet-pw')
  })

  test('args: the password from the prompt, --json, --token-lifetime, default data dir', async () => {
    const home = await createHome()
    const result = await og(
      ['devnet', 'users', 'add', 'dev@example.com', '--token-lifetime', '90', '--json'],
      { home, stdin: 'prompted-pw\n' },
    )
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      email: 'dev@example.com',
      created: true,
      file: join(home, '.opengradient', 'devnet', 'hub', 'users.json'),
    })
    const again = await og(
      ['devnet', 'users', 'add', 'dev@example.com', '--password', 'other-pw'],
      { home },
    )
    expect(again.stdout).toMatch(/^Updated devnet hub user/)
  })

  test('error: a short password', async () => {
    const home = await createHome()
    const result = await og(['devnet', 'users', 'add', 'dev@example.com', '--password', '123'], {
      home,
    })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('The password must have at least 6 characters.')
    expect(result.stderr).not.toContain('123\n')
  })
})
