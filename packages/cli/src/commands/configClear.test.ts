import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createHome, og } from '../../test/utils.js'

const configFile = (home: string) => join(home, '.opengradient_config.json')
const question = 'Are you sure you want to clear all configs? This action cannot be undone. [y/N]: '

describe('config clear', () => {
  test('default', async () => {
    const home = await createHome()
    await writeFile(configFile(home), '{"email": "me@example.com"}', { mode: 0o600 })
    const result = await og(['config', 'clear'], { home, isTTY: true, stdin: 'y\n' })
    expect(result).toEqual({ exitCode: 0, stdout: 'Configs cleared.\n', stderr: question })
    expect(await readFile(configFile(home), 'utf8')).toBe('{}')
    expect((await stat(configFile(home))).mode & 0o777).toBe(0o600)
  })

  test('behavior: nothing to clear', async () => {
    const home = await createHome()
    expect(await og(['config', 'clear'], { home })).toEqual({
      exitCode: 0,
      stdout: 'No configs to clear.\n',
      stderr: '',
    })
  })

  test('behavior: "no" aborts', async () => {
    const home = await createHome()
    await writeFile(configFile(home), '{"email": "me@example.com"}', { mode: 0o600 })
    const result = await og(['config', 'clear'], { home, isTTY: true, stdin: 'n\n' })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toBe(`${question}Error: Aborted!\n`)
    expect(await readFile(configFile(home), 'utf8')).toBe('{"email": "me@example.com"}')
  })

  test('args: --yes --json', async () => {
    const home = await createHome()
    await writeFile(configFile(home), '{"email": "me@example.com"}', { mode: 0o600 })
    const result = await og(['config', 'clear', '--yes', '--json'], { home })
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ path: configFile(home), cleared: true })
  })

  test('behavior: a broken file can be cleared', async () => {
    const home = await createHome()
    await writeFile(configFile(home), '{"private_key": ', { mode: 0o600 })
    expect((await og(['config', 'clear', '-y'], { home })).exitCode).toBe(0)
    expect(await readFile(configFile(home), 'utf8')).toBe('{}')
  })

  test('error: no terminal and no --yes', async () => {
    const home = await createHome()
    await writeFile(configFile(home), '{"email": "me@example.com"}', { mode: 0o600 })
    const result = await og(['config', 'clear'], { home, stdin: 'y\n' })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('Pass --yes to clear it.'.slice(1))
    expect(await readFile(configFile(home), 'utf8')).toBe('{"email": "me@example.com"}')
  })
})
