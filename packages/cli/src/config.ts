// The config file shared with the reference CLI, and the settings resolved from flags, environment and file.
import { randomBytes } from 'node:crypto'
import { open, readFile, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { networks, stripUrlCredentials } from '@opengradient/core'
import { CliUsageError, ConfigFileError } from './errors.js'
import { toPythonJsonText } from './json.js'

/** Name of the config file in the home directory, as the reference CLI names it. */
export const configFileName = '.opengradient_config.json'

/**
 * The config file's contents. The first four keys are the reference CLI's; `network` and
 * `rpc_url` are ours and the reference ignores them. Unknown keys are kept.
 */
export type OpenGradientConfigFile = {
  private_key?: string | null | undefined
  alpha_private_key?: string | null | undefined
  email?: string | null | undefined
  password?: string | null | undefined
  network?: string | null | undefined
  rpc_url?: string | null | undefined
  [key: string]: unknown
}

/** Keys whose values are never printed. */
export const secretConfigKeys: readonly string[] = ['password', 'private_key', 'alpha_private_key']

/**
 * Where the config file is: `--config`, else `OG_CONFIG`, else `~/.opengradient_config.json`.
 */
export function resolveConfigPath(parameters: {
  option?: string | undefined
  env: Readonly<Record<string, string | undefined>>
  homeDir: string
}): string {
  const explicit = parameters.option || parameters.env.OG_CONFIG
  return explicit ? resolve(explicit) : join(parameters.homeDir, configFileName)
}

/** True when the file can be read by the group or by others (never on Windows, which has no modes). */
export async function isReadableByOthers(path: string): Promise<boolean> {
  if (process.platform === 'win32') return false
  try {
    return ((await stat(path)).mode & 0o044) !== 0
  } catch {
    return false
  }
}

/**
 * Reads the config file. A missing file is an empty config; a file other users can read is
 * reported through `onWarning`.
 */
export async function readConfig(
  path: string,
  options: { onWarning?: ((message: string) => void) | undefined } = {},
): Promise<OpenGradientConfigFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return {}
    throw new ConfigFileError('The config file cannot be read.', { path, cause: error })
  }
  if (await isReadableByOthers(path)) {
    const mode = ((await stat(path)).mode & 0o777).toString(8).padStart(4, '0')
    options.onWarning?.(
      `The config file ${path} is readable by other users (mode ${mode}) and holds secrets. Run 'chmod 600 ${path}' to restrict it.`,
    )
  }
  if (!text.trim()) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    // The parser's message quotes the text around the error, which may be part of a key.
    throw new ConfigFileError('The config file is not valid JSON.', {
      path,
      metaMessages: ["Run 'opengradient config clear --yes' or fix the file by hand."],
    })
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigFileError('The config file does not hold a JSON object.', { path })
  return parsed as OpenGradientConfigFile
}

/**
 * Writes the config file atomically with mode 0600: a temporary file created with that mode in
 * the same directory, flushed to disk, then renamed over the old one. No reader ever sees a
 * partial file, and the secrets are never readable by others, not even for a moment.
 */
export async function writeConfig(path: string, config: OpenGradientConfigFile): Promise<void> {
  const directory = dirname(path)
  const temporaryPath = join(
    directory,
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  )
  try {
    const handle = await open(temporaryPath, 'wx', 0o600)
    try {
      await handle.writeFile(toPythonJsonText(config), 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporaryPath, path)
  } catch (error) {
    await rm(temporaryPath, { force: true }).catch(() => {})
    throw new ConfigFileError('The config file cannot be written.', { path, cause: error })
  }
  // Flush the directory entry too, so the rename survives a crash; not every platform allows it.
  try {
    const handle = await open(directory, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {}
}

/** Networks the CLI can talk to. */
export const cliNetworkNames = ['alpha', 'testnet', 'devnet'] as const

/** A name of {@link cliNetworkNames}. */
export type CliNetworkName = (typeof cliNetworkNames)[number]

/** The network used when nothing else says. */
export const defaultNetwork: CliNetworkName = 'alpha'

/** Private key of anvil's first well-known dev account, funded on every local devnet. */
export const devnetDefaultPrivateKey =
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'

/** Where a setting came from, highest precedence first. */
export type SettingSource = 'option' | 'env' | 'config' | 'default'

/** A resolved value with its source and the flag, variable or key that supplied it. */
export type Setting<T> = {
  value: T
  source: SettingSource
  /** `--network`, `OG_NETWORK`, `config file key "network"`, `default`… */
  origin: string
}

/** The effective settings of a run. */
export type ResolvedSettings = {
  network: Setting<CliNetworkName>
  rpcUrl: Setting<string>
  /** As written, with `0x` added to bare hex; checked only when an account is made from it. */
  privateKey: Setting<string> | undefined
  /** The separate Alpha testnet key, when one is set. */
  alphaPrivateKey: Setting<string> | undefined
  email: Setting<string> | undefined
  password: Setting<string> | undefined
}

export type ResolveSettingsParameters = {
  /** Values of the global options. */
  options?: { network?: string | undefined; rpcUrl?: string | undefined } | undefined
  env?: Readonly<Record<string, string | undefined>> | undefined
  config?: OpenGradientConfigFile | undefined
}

const rank: Record<SettingSource, number> = { default: 0, config: 1, env: 2, option: 3 }

/**
 * Resolves the effective settings. Precedence: options, then environment variables, then the
 * config file, then defaults.
 *
 * - network: `--network`, `OG_NETWORK`, `network` key, `alpha`
 * - RPC URL: `--rpc-url`, `OG_RPC_URL`, `rpc_url` key, the network's default. An RPC URL from a
 *   lower layer than the network's is ignored, so `--network devnet` never talks to an RPC URL
 *   saved in the config file for another network.
 * - private key: `OG_PRIVATE_KEY` or `OPENGRADIENT_PRIVATE_KEY`, `private_key` key; on the
 *   devnet without a key, anvil's dev account 0.
 * - `OG_ALPHA_PRIVATE_KEY`, `OG_EMAIL`, `OG_PASSWORD` override their keys.
 *
 * Empty values count as unset.
 *
 * @example
 * ```ts
 * const settings = resolveSettings({ options: { network: 'devnet' }, env: process.env, config: {} })
 * settings.rpcUrl // { value: 'http://127.0.0.1:8545', source: 'default', origin: 'default' }
 * ```
 */
export function resolveSettings(parameters: ResolveSettingsParameters = {}): ResolvedSettings {
  const options = parameters.options ?? {}
  const env = parameters.env ?? {}
  const config = parameters.config ?? {}

  const networkSetting = pick([
    fromOption(options.network, '--network'),
    fromEnv(env, 'OG_NETWORK'),
    fromConfig(config, 'network'),
  ]) ?? { value: defaultNetwork, source: 'default' as const, origin: 'default' }
  if (!(cliNetworkNames as readonly string[]).includes(networkSetting.value)) {
    throw new CliUsageError(
      `Unknown network "${networkSetting.value}" from ${networkSetting.origin}.`,
      {
        metaMessages: [`Choose one of: ${cliNetworkNames.join(', ')}.`],
      },
    )
  }
  const network = networkSetting as Setting<CliNetworkName>

  const rpcCandidate = pick([
    fromOption(options.rpcUrl, '--rpc-url'),
    fromEnv(env, 'OG_RPC_URL'),
    fromConfig(config, 'rpc_url'),
  ])
  const rpcUrl =
    rpcCandidate && rank[rpcCandidate.source] >= rank[network.source]
      ? rpcCandidate
      : { value: defaultRpcUrl(network.value), source: 'default' as const, origin: 'default' }
  checkRpcUrl(rpcUrl)

  const configuredKey = pick([
    fromEnv(env, 'OG_PRIVATE_KEY'),
    fromEnv(env, 'OPENGRADIENT_PRIVATE_KEY'),
    fromConfig(config, 'private_key'),
  ])
  const privateKey =
    configuredKey ??
    (network.value === 'devnet'
      ? { value: devnetDefaultPrivateKey, source: 'default' as const, origin: 'devnet account 0' }
      : undefined)
  const alphaPrivateKey = pick([
    fromEnv(env, 'OG_ALPHA_PRIVATE_KEY'),
    fromConfig(config, 'alpha_private_key'),
  ])

  return {
    network,
    rpcUrl,
    privateKey: privateKey && { ...privateKey, value: normalizePrivateKey(privateKey.value) },
    alphaPrivateKey: alphaPrivateKey && {
      ...alphaPrivateKey,
      value: normalizePrivateKey(alphaPrivateKey.value),
    },
    email: pick([fromEnv(env, 'OG_EMAIL'), fromConfig(config, 'email')]),
    password: pick([fromEnv(env, 'OG_PASSWORD'), fromConfig(config, 'password')]),
  }
}

/** The default RPC URL of a network preset. */
export function defaultRpcUrl(network: CliNetworkName): string {
  return networks[network].rpcUrls.default.http[0]
}

/** True for 64 hex digits with or without `0x`. */
export function isPrivateKeyText(text: string): boolean {
  return /^(0x)?[0-9a-fA-F]{64}$/.test(text.trim())
}

/** Adds `0x` to bare hex keys (the reference stores generated keys without it). */
export function normalizePrivateKey(text: string): string {
  const trimmed = text.trim()
  return /^[0-9a-fA-F]{64}$/.test(trimmed) ? `0x${trimmed}` : trimmed
}

function pick(candidates: (Setting<string> | undefined)[]): Setting<string> | undefined {
  return candidates.find((candidate) => candidate !== undefined)
}

function fromOption(value: string | undefined, flag: string): Setting<string> | undefined {
  return value ? { value, source: 'option', origin: flag } : undefined
}

function fromEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): Setting<string> | undefined {
  const value = env[name]
  return value ? { value, source: 'env', origin: name } : undefined
}

function fromConfig(config: OpenGradientConfigFile, key: string): Setting<string> | undefined {
  const value = config[key]
  return typeof value === 'string' && value
    ? { value, source: 'config', origin: `config file key "${key}"` }
    : undefined
}

function checkRpcUrl(setting: Setting<string>): void {
  let protocol: string | undefined
  try {
    protocol = new URL(setting.value).protocol
  } catch {}
  if (!protocol || !['http:', 'https:', 'ws:', 'wss:'].includes(protocol)) {
    throw new CliUsageError(`The RPC URL from ${setting.origin} is not an http(s) or ws(s) URL.`, {
      metaMessages: [`RPC URL: ${stripUrlCredentials(setting.value)}`],
    })
  }
}
