// What every command receives: io, output functions, the config and settings, and lazy accounts.
import { BaseError, defineDevnet, networks, type OpenGradientChain } from '@opengradient/core'
import type { PrivateKeyAccount } from 'viem'
import {
  type CliNetworkName,
  isPrivateKeyText,
  type OpenGradientConfigFile,
  type ResolvedSettings,
  readConfig,
  resolveConfigPath,
  resolveSettings,
} from './config.js'
import { InvalidPrivateKeyError, MissingPrivateKeyError } from './errors.js'
import { confirm as askConfirm, prompt as askPrompt, type ResolvedIo } from './io.js'
import { toJsonText } from './json.js'

/** Values of the options every command accepts. */
export type GlobalOptions = {
  json?: boolean | undefined
  network?: string | undefined
  rpcUrl?: string | undefined
  config?: string | undefined
}

/** State shared by everything that writes during one run. */
export type CliRun = {
  io: ResolvedIo
  /** Set once a command has written its JSON document. */
  jsonWritten: boolean
}

/** Which configured key an account is made from. */
export type AccountKey = 'main' | 'alpha'

/**
 * The context of one command run. Commands are plain functions `(context, options) => Promise<void>`
 * that print through it, so they run unchanged in the binary and in tests.
 */
export type CommandContext = {
  io: ResolvedIo
  /** `--json`: the command's only stdout output is one JSON document written by `printJson`. */
  json: boolean
  /** Path of the config file in use. */
  configPath: string
  /** The config file's contents (`{}` when missing); throws if the file is unreadable. */
  readonly config: OpenGradientConfigFile
  /** Effective network, RPC URL and credentials; resolved on first use. */
  readonly settings: ResolvedSettings
  /** Writes a line to stdout; dropped in `--json` mode. */
  print(text?: string): void
  /** Writes the JSON document (bigints as decimal strings); at most once per run. */
  printJson(value: unknown): void
  /** Writes a warning to stderr (a `{"warning": …}` line in `--json` mode). */
  warn(message: string): void
  /** Asks for a line of text on stderr; the answer comes from stdin. */
  prompt(
    question: string,
    options?: { hidden?: boolean | undefined; defaultValue?: string | undefined },
  ): Promise<string>
  /** Asks a yes/no question. */
  confirm(question: string, options?: { defaultValue?: boolean | undefined }): Promise<boolean>
  /**
   * The account to sign with, made on first use from the resolved key. `alpha` (the default on
   * the Alpha testnet and the devnet) uses the separate Alpha key when one is set.
   */
  getAccount(parameters?: { key?: AccountKey | undefined }): Promise<PrivateKeyAccount>
  /** The chain preset of the resolved network, with the resolved RPC URL. */
  getChain(): OpenGradientChain
}

/** Builds the context of a command from its global options. Reads the config file once. */
export async function createCommandContext(
  run: CliRun,
  options: GlobalOptions,
): Promise<CommandContext> {
  const { io } = run
  const json = options.json === true
  const configPath = resolveConfigPath({ option: options.config, env: io.env, homeDir: io.homeDir })

  const warn = (message: string) => {
    io.stderr.write(json ? `${toJsonText({ warning: { message } })}\n` : `Warning: ${message}\n`)
  }

  let config: OpenGradientConfigFile | undefined
  let configError: unknown
  try {
    config = await readConfig(configPath, { onWarning: warn })
  } catch (error) {
    configError = error
  }

  let settings: ResolvedSettings | undefined
  const accounts = new Map<AccountKey, PrivateKeyAccount>()

  const context: CommandContext = {
    io,
    json,
    configPath,
    get config() {
      if (config === undefined) throw configError
      return config
    },
    get settings() {
      settings ??= resolveSettings({
        options: { network: options.network, rpcUrl: options.rpcUrl },
        env: io.env,
        config: context.config,
      })
      return settings
    },
    print(text = '') {
      if (!json) io.stdout.write(`${text}\n`)
    },
    printJson(value) {
      if (run.jsonWritten)
        throw new BaseError('A command wrote more than one JSON document.', {
          details: 'Output in --json mode must be exactly one document.',
        })
      run.jsonWritten = true
      io.stdout.write(`${toJsonText(value)}\n`)
    },
    warn,
    prompt: (question, promptOptions) => askPrompt(io, question, promptOptions),
    confirm: (question, confirmOptions) => askConfirm(io, question, confirmOptions),
    async getAccount(parameters = {}) {
      const { network, privateKey, alphaPrivateKey } = context.settings
      const key = parameters.key ?? (network.value === 'testnet' ? 'main' : 'alpha')
      const cached = accounts.get(key)
      if (cached) return cached
      const setting = key === 'alpha' ? (alphaPrivateKey ?? privateKey) : privateKey
      if (!setting) throw new MissingPrivateKeyError()
      if (!isPrivateKeyText(setting.value)) throw new InvalidPrivateKeyError(setting.origin)
      const { privateKeyToAccount } = await import('viem/accounts')
      const account = privateKeyToAccount(setting.value as `0x${string}`)
      accounts.set(key, account)
      return account
    },
    getChain() {
      const { network, rpcUrl } = context.settings
      return chainFor(network.value, rpcUrl.value)
    },
  }
  return context
}

function chainFor(network: CliNetworkName, rpcUrl: string): OpenGradientChain {
  if (network === 'devnet') return defineDevnet({ rpcUrl })
  const chain: OpenGradientChain = networks[network]
  return { ...chain, rpcUrls: { ...chain.rpcUrls, default: { http: [rpcUrl] } } }
}
