import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { createHome, og, testAddress, testPrivateKey } from '../../test/utils.js'

const configFile = (home: string) => join(home, '.opengradient_config.json')

describe('config init', () => {
  test('default', async () => {
    const home = await createHome()
    const result = await og(['config', 'init'], {
      home,
      stdin: `y\n${testPrivateKey}\n\nme@example.com\nhunter2\n`,
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(
      [
        'Initializing OpenGradient config...',
        `Config will be stored in: ${configFile(home)}`,
        'Config has been saved.',
        "You can run 'opengradient config show' to see configs.",
        '',
      ].join('\n'),
    )
    expect(result.stderr).toBe(
      [
        'Do you already have an OpenGradient account? [Y/n]: ',
        'Enter your OpenGradient private key: ',
        'Enter a separate Alpha Testnet private key (optional, press Enter to reuse the main key): ',
        'Enter your OpenGradient Hub email address (optional, press Enter to skip): ',
        'Enter your OpenGradient Hub password (optional, press Enter to skip): ',
        '',
      ].join('\n'),
    )
    expect(await readFile(configFile(home), 'utf8')).toBe(
      `{"private_key": "${testPrivateKey}", "alpha_private_key": null, "email": "me@example.com", "password": "hunter2"}`,
    )
    expect((await stat(configFile(home))).mode & 0o777).toBe(0o600)
  })

  test('behavior: answering no runs the account wizard and saves a generated key', async () => {
    const home = await createHome()
    const result = await og(['config', 'init'], { home, stdin: 'n\ny\n\n\n\n' })
    expect(result.exitCode).toBe(0)
    const saved = JSON.parse(await readFile(configFile(home), 'utf8'))
    expect(saved.private_key).toMatch(/^[0-9a-f]{64}$/)
    const { address } = privateKeyToAccount(`0x${saved.private_key}`)
    expect(result.stdout).toContain('OpenGradient Account Creation Wizard')
    expect(result.stdout).toContain(`Generated OpenGradient chain account with address: ${address}`)
    expect(result.stdout).toContain(`The private key of ${address} is saved in ${configFile(home)}`)
    expect(result.stdout + result.stderr).not.toContain(saved.private_key)
  })

  test('behavior: the wizard aborts when no Hub account was created', async () => {
    const home = await createHome()
    const result = await og(['config', 'init'], { home, stdin: 'n\nn\n' })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('Error: Aborted!')
    await expect(stat(configFile(home))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  test('behavior: a malformed key is asked again', async () => {
    const home = await createHome()
    const result = await og(['config', 'init'], {
      home,
      stdin: `\nnot-a-key\n${testPrivateKey.slice(2)}\n${testPrivateKey}\n\n\n`,
    })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('Error: a private key is 64 hex digits')
    expect(result.stderr).not.toContain('not-a-key')
    expect(JSON.parse(await readFile(configFile(home), 'utf8'))).toEqual({
      private_key: testPrivateKey.slice(2),
      alpha_private_key: testPrivateKey,
      email: null,
      password: null,
    })
  })

  test('args: --generate', async () => {
    const home = await createHome()
    const result = await og(['config', 'init', '--generate', '--email', 'me@example.com'], { home })
    expect(result.exitCode).toBe(0)
    const saved = JSON.parse(await readFile(configFile(home), 'utf8'))
    expect(saved).toMatchObject({
      alpha_private_key: null,
      email: 'me@example.com',
      password: null,
    })
    expect(result.stdout).not.toContain(saved.private_key)
    expect(result.stdout).toContain('pass --show-private-key to print it')
    expect(result.stderr).toBe('')
  })

  test('args: --generate --show-private-key --json', async () => {
    const home = await createHome()
    const result = await og(['config', 'init', '--generate', '--show-private-key', '--json'], {
      home,
    })
    expect(result.exitCode).toBe(0)
    const output = JSON.parse(result.stdout)
    const saved = JSON.parse(await readFile(configFile(home), 'utf8'))
    expect(output).toEqual({
      path: configFile(home),
      address: privateKeyToAccount(`0x${saved.private_key}`).address,
      generated: true,
      privateKey: `0x${saved.private_key}`,
    })
  })

  test('args: --private-key', async () => {
    const home = await createHome()
    const result = await og(['config', 'init', '--private-key', testPrivateKey, '--json'], { home })
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      path: configFile(home),
      address: testAddress,
      generated: false,
    })
  })

  test('args: --config', async () => {
    const home = await createHome()
    const path = join(home, 'custom.json')
    const result = await og(['config', 'init', '--generate', '--config', path], { home })
    expect(result.exitCode).toBe(0)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
  })

  test('error: an existing config needs --force', async () => {
    const home = await createHome()
    await writeFile(configFile(home), '{"email": "old@example.com"}', { mode: 0o600 })
    const result = await og(['config', 'init', '--generate'], { home })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toMatchInlineSnapshot(`
      "Error: A config already exists. Please run 'opengradient config clear' first if you want to reinitialize.
        Config file: ${configFile(home)}
        You can view your current config with 'opengradient config show'.
        Or pass --force to overwrite it.
      "
    `)
    expect(await readFile(configFile(home), 'utf8')).toBe('{"email": "old@example.com"}')

    const forced = await og(['config', 'init', '--generate', '--force'], { home })
    expect(forced.exitCode).toBe(0)
    expect(forced.stderr).toContain('Warning: Overwriting the existing config')
    expect(JSON.parse(await readFile(configFile(home), 'utf8')).email).toBeNull()
  })

  test('error: --private-key and --generate conflict', async () => {
    const home = await createHome()
    const result = await og(['config', 'init', '--generate', '--private-key', testPrivateKey], {
      home,
    })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('cannot be used with option')
  })

  test('error: malformed --private-key is not echoed', async () => {
    const home = await createHome()
    const result = await og(['config', 'init', '--private-key', 'secret-but-wrong'], { home })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('The value of --private-key is not a 32-byte hex string.')
    expect(result.stderr).not.toContain('secret-but-wrong')
  })

  test('error: input ends before every answer', async () => {
    const home = await createHome()
    const result = await og(['config', 'init'], { home, stdin: 'y\n' })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(
      'Error: The input ended before an answer to "Enter your OpenGradient private key".',
    )
  })
})
