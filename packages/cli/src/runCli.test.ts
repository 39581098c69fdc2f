import { describe, expect, test } from 'vitest'
import { createHome, og } from '../test/utils.js'
import { version } from './version.js'

describe('runCli', () => {
  test('default', async () => {
    const home = await createHome()
    const result = await og(['--help'], { home })
    expect(result.exitCode).toBe(0)
    expect(result.stdout.startsWith('CLI for OpenGradient SDK.\n')).toBe(true)
    expect(result.stdout).toContain('Visit https://docs.opengradient.ai/ for more documentation.')
    expect(result.stdout).toContain('config')
    expect(result.stdout).toContain('--network <name>')
    expect(result.stderr).toBe('')
  })

  test('args: --version and -V', async () => {
    const home = await createHome()
    for (const flag of ['--version', '-V']) {
      expect(await og([flag], { home })).toEqual({
        exitCode: 0,
        stdout: `${version}\n`,
        stderr: '',
      })
    }
    const json = await og(['--version', '--json'], { home })
    expect(JSON.parse(json.stdout)).toEqual({ version })
  })

  test('args: version command', async () => {
    const home = await createHome()
    const result = await og(['version'], { home })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`opengradient ${version}\n`)
    const json = await og(['version', '--json'], { home })
    expect(JSON.parse(json.stdout)).toMatchObject({ cli: version, node: process.version })
  })

  test('args: global options before and after the command', async () => {
    const home = await createHome()
    for (const argv of [
      ['--json', 'config', 'show'],
      ['config', '--json', 'show'],
      ['config', 'show', '--json'],
    ]) {
      const result = await og(argv, { home })
      expect(result.exitCode).toBe(0)
      expect(JSON.parse(result.stdout)).toMatchObject({ config: {} })
    }
  })

  test('args: subcommand help', async () => {
    const home = await createHome()
    const result = await og(['config', 'init', '--help'], { home })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Usage: opengradient config init [options]')
    expect(result.stdout).toContain('--generate')
    // The command's own options come before the global ones.
    expect(result.stdout.indexOf('--generate')).toBeLessThan(result.stdout.indexOf('--json'))
  })

  test('behavior: a group without a subcommand is a usage error', async () => {
    const home = await createHome()
    const result = await og(['config'], { home })
    expect(result.exitCode).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('Usage: opengradient config')
    const json = await og(['config', '--json'], { home })
    expect(json.exitCode).toBe(2)
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { name: 'CliUsageError' } })
  })

  test('error: unknown command', async () => {
    const home = await createHome()
    const result = await og(['bogus'], { home })
    expect(result).toMatchInlineSnapshot(`
      {
        "exitCode": 2,
        "stderr": "Error: Unknown command 'bogus'.
        Run 'opengradient --help' for usage.
      ",
        "stdout": "",
      }
    `)
  })

  test('error: unknown option, with --json', async () => {
    const home = await createHome()
    const result = await og(['config', 'show', '--bogus', '--json'], { home })
    expect(result.exitCode).toBe(2)
    expect(result.stdout).toBe('')
    expect(JSON.parse(result.stderr)).toMatchInlineSnapshot(`
      {
        "error": {
          "message": "Unknown option '--bogus'.",
          "metaMessages": [
            "Run 'opengradient config show --help' for usage.",
          ],
          "name": "CliUsageError",
        },
      }
    `)
  })

  test('error: invalid network choice', async () => {
    const home = await createHome()
    const result = await og(['--network', 'mainnet', 'version'], { home })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('Allowed choices are alpha, testnet, devnet')
  })

  test('error: operational errors exit 1 and never print secrets', async () => {
    const home = await createHome()
    const { writeFile } = await import('node:fs/promises')
    const secret = 'ab'.repeat(32)
    await writeFile(`${home}/.opengradient_config.json`, `{"private_key": "${secret}"`, {
      mode: 0o600,
    })
    const result = await og(['config', 'show'], { home })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('Error: The config file is not valid JSON.')
    expect(result.stderr).not.toContain(secret)
    const json = await og(['config', 'show', '--json'], { home })
    expect(json.exitCode).toBe(1)
    expect(JSON.parse(json.stderr).error.name).toBe('ConfigFileError')
    expect(json.stdout).toBe('')
  })
})
