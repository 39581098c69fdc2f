import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createHome, og } from '../../test/utils.js'

const configFile = (home: string) => join(home, '.opengradient_config.json')

describe('config show', () => {
  test('default', async () => {
    const home = await createHome()
    const result = await og(['config', 'show'], { home })
    expect(result).toEqual({
      exitCode: 0,
      stdout: `Config file location: ${configFile(home)}\nConfig is empty. Run 'opengradient config init' to initialize it.\n`,
      stderr: '',
    })
  })

  test('behavior: secrets are masked and null is "Not set"', async () => {
    const home = await createHome()
    await writeFile(
      configFile(home),
      '{"private_key": "abcdef", "alpha_private_key": "0x12", "email": "me@example.com", "password": "hunter2", "network": null}',
      { mode: 0o600 },
    )
    const result = await og(['config', 'show'], { home })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(
      [
        `Config file location: ${configFile(home)}`,
        'Current config:',
        'private_key: ******',
        'alpha_private_key: ****',
        'email: me@example.com',
        'password: *******',
        'network: Not set',
        '',
      ].join('\n'),
    )
    const json = await og(['config', 'show', '--json'], { home })
    expect(JSON.parse(json.stdout)).toEqual({
      path: configFile(home),
      config: {
        private_key: '******',
        alpha_private_key: '****',
        email: 'me@example.com',
        password: '*******',
        network: null,
      },
      environmentOverrides: [],
    })
    expect(json.stdout).not.toContain('hunter2')
  })

  test('behavior: names environment overrides without their values', async () => {
    const home = await createHome()
    const result = await og(['config', 'show'], {
      home,
      env: { OG_PRIVATE_KEY: 'ee'.repeat(32), OG_NETWORK: 'devnet' },
    })
    expect(result.stdout).toContain('Overridden by the environment: OG_PRIVATE_KEY, OG_NETWORK\n')
    expect(result.stdout).not.toContain('eeee')
  })

  test('behavior: warns when the file is group-readable', async () => {
    const home = await createHome()
    await writeFile(configFile(home), '{"email": null}')
    await chmod(configFile(home), 0o644)
    const result = await og(['config', 'show'], { home })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toBe(
      `Warning: The config file ${configFile(home)} is readable by other users (mode 0644) and holds secrets. Run 'chmod 600 ${configFile(home)}' to restrict it.\n`,
    )
    const json = await og(['config', 'show', '--json'], { home })
    expect(JSON.parse(json.stderr)).toMatchObject({ warning: { message: expect.any(String) } })
    expect(JSON.parse(json.stdout)).toMatchObject({ config: { email: null } })
  })

  test('args: OG_CONFIG and --config', async () => {
    const home = await createHome()
    const path = join(home, 'other.json')
    await writeFile(path, '{"email": "other@example.com"}', { mode: 0o600 })
    const fromEnv = await og(['config', 'show'], { home, env: { OG_CONFIG: path } })
    expect(fromEnv.stdout).toContain(`Config file location: ${path}\n`)
    expect(fromEnv.stdout).toContain('email: other@example.com')
    const fromOption = await og(['config', 'show', '--config', path], { home })
    expect(fromOption.stdout).toContain('email: other@example.com')
  })
})
