import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createHome } from '../test/utils.js'
import {
  devnetDefaultPrivateKey,
  readConfig,
  resolveConfigPath,
  resolveSettings,
  writeConfig,
} from './config.js'
import { toPythonJsonText } from './json.js'

describe('toPythonJsonText', () => {
  test('default', () => {
    expect(
      toPythonJsonText({ private_key: 'ab', alpha_private_key: null, email: 'é@x', n: [1, true] }),
    ).toBe('{"private_key": "ab", "alpha_private_key": null, "email": "\\u00e9@x", "n": [1, true]}')
  })

  test('behavior: escapes like json.dumps with ensure_ascii', () => {
    expect(toPythonJsonText('a"b\\c\n\u0001\u007f😀')).toBe(
      '"a\\"b\\\\c\\n\\u0001\\u007f\\ud83d\\ude00"',
    )
  })
})

describe('writeConfig', () => {
  test('default', async () => {
    const home = await createHome()
    const path = join(home, '.opengradient_config.json')
    await writeConfig(path, { private_key: 'k', email: null })
    expect(await readFile(path, 'utf8')).toBe('{"private_key": "k", "email": null}')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readdir(home)).toEqual(['.opengradient_config.json'])
  })

  test('behavior: replaces a world-readable file with a 0600 one', async () => {
    const home = await createHome()
    const path = join(home, 'config.json')
    await writeFile(path, '{}', { mode: 0o644 })
    await chmod(path, 0o644)
    await writeConfig(path, { email: 'a@b' })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readConfig(path)).toEqual({ email: 'a@b' })
  })

  test('error: directory does not exist', async () => {
    const home = await createHome()
    await expect(writeConfig(join(home, 'missing', 'c.json'), {})).rejects.toMatchObject({
      name: 'ConfigFileError',
      shortMessage: 'The config file cannot be written.',
    })
  })
})

describe('readConfig', () => {
  test('default', async () => {
    const home = await createHome()
    expect(await readConfig(join(home, 'none.json'))).toEqual({})
  })

  test('behavior: warns when others can read the file', async () => {
    const home = await createHome()
    const path = join(home, 'c.json')
    await writeFile(path, '{"email": "a@b"}')
    await chmod(path, 0o640)
    const warnings: string[] = []
    expect(await readConfig(path, { onWarning: (message) => warnings.push(message) })).toEqual({
      email: 'a@b',
    })
    expect(warnings).toEqual([
      `The config file ${path} is readable by other users (mode 0640) and holds secrets. Run 'chmod 600 ${path}' to restrict it.`,
    ])
    await chmod(path, 0o600)
    warnings.length = 0
    await readConfig(path, { onWarning: (message) => warnings.push(message) })
    expect(warnings).toEqual([])
  })

  test('error: not a JSON object', async () => {
    const home = await createHome()
    const path = join(home, 'c.json')
    await writeFile(path, '[1]')
    await expect(readConfig(path)).rejects.toMatchObject({ name: 'ConfigFileError' })
  })
})

describe('resolveConfigPath', () => {
  test('default', () => {
    expect(resolveConfigPath({ env: {}, homeDir: '/home/me' })).toBe(
      '/home/me/.opengradient_config.json',
    )
  })

  test('args: OG_CONFIG and --config', () => {
    expect(resolveConfigPath({ env: { OG_CONFIG: '/etc/og.json' }, homeDir: '/h' })).toBe(
      '/etc/og.json',
    )
    expect(
      resolveConfigPath({ option: '/x.json', env: { OG_CONFIG: '/etc/og.json' }, homeDir: '/h' }),
    ).toBe('/x.json')
  })
})

describe('resolveSettings', () => {
  test('default', () => {
    expect(resolveSettings()).toEqual({
      network: { value: 'alpha', source: 'default', origin: 'default' },
      rpcUrl: { value: 'https://eth-devnet.opengradient.ai', source: 'default', origin: 'default' },
      privateKey: undefined,
      alphaPrivateKey: undefined,
      email: undefined,
      password: undefined,
    })
  })

  test('behavior: options over environment over config', () => {
    const config = { network: 'testnet', private_key: 'aa'.repeat(32), email: 'file@x' }
    expect(resolveSettings({ config }).network).toEqual({
      value: 'testnet',
      source: 'config',
      origin: 'config file key "network"',
    })
    const env = { OG_NETWORK: 'devnet', OG_PRIVATE_KEY: `0x${'bb'.repeat(32)}`, OG_EMAIL: 'env@x' }
    const fromEnv = resolveSettings({ env, config })
    expect(fromEnv.network).toMatchObject({ value: 'devnet', source: 'env', origin: 'OG_NETWORK' })
    expect(fromEnv.privateKey).toEqual({
      value: `0x${'bb'.repeat(32)}`,
      source: 'env',
      origin: 'OG_PRIVATE_KEY',
    })
    expect(fromEnv.email?.value).toBe('env@x')
    const fromOption = resolveSettings({ options: { network: 'alpha' }, env, config })
    expect(fromOption.network).toMatchObject({
      value: 'alpha',
      source: 'option',
      origin: '--network',
    })
  })

  test('behavior: bare hex keys get 0x; OPENGRADIENT_PRIVATE_KEY is read', () => {
    expect(resolveSettings({ config: { private_key: 'aa'.repeat(32) } }).privateKey?.value).toBe(
      `0x${'aa'.repeat(32)}`,
    )
    expect(
      resolveSettings({ env: { OPENGRADIENT_PRIVATE_KEY: 'cc'.repeat(32) } }).privateKey,
    ).toMatchObject({ origin: 'OPENGRADIENT_PRIVATE_KEY' })
    expect(resolveSettings({ env: { OG_PRIVATE_KEY: '' } }).privateKey).toBeUndefined()
  })

  test('behavior: devnet without a key uses anvil account 0', () => {
    expect(resolveSettings({ options: { network: 'devnet' } })).toMatchObject({
      rpcUrl: { value: 'http://127.0.0.1:8545', source: 'default' },
      privateKey: { value: devnetDefaultPrivateKey, source: 'default', origin: 'devnet account 0' },
    })
  })

  test('behavior: an RPC URL from a lower layer than the network is ignored', () => {
    const config = { rpc_url: 'https://my-alpha.example' }
    expect(resolveSettings({ config }).rpcUrl).toMatchObject({ value: 'https://my-alpha.example' })
    expect(resolveSettings({ options: { network: 'devnet' }, config }).rpcUrl.value).toBe(
      'http://127.0.0.1:8545',
    )
    expect(
      resolveSettings({
        options: { network: 'devnet', rpcUrl: 'http://127.0.0.1:9545' },
        env: { OG_RPC_URL: 'https://env.example' },
      }).rpcUrl,
    ).toEqual({ value: 'http://127.0.0.1:9545', source: 'option', origin: '--rpc-url' })
  })

  test('error: unknown network', () => {
    expect(() => resolveSettings({ env: { OG_NETWORK: 'mainnet' } })).toThrowError(
      expect.objectContaining({
        name: 'CliUsageError',
        shortMessage: 'Unknown network "mainnet" from OG_NETWORK.',
      }),
    )
  })

  test('error: bad RPC URL, credentials stripped', () => {
    expect(() => resolveSettings({ options: { rpcUrl: 'ftp://user:secret@host/x' } })).toThrowError(
      expect.objectContaining({
        name: 'CliUsageError',
        metaMessages: ['RPC URL: ftp://host/x'],
      }),
    )
  })
})
