import type { Address } from 'viem'
import { runAccountWizard } from '../accountWizard.js'
import {
  isPrivateKeyText,
  normalizePrivateKey,
  type OpenGradientConfigFile,
  writeConfig,
} from '../config.js'
import type { CommandContext } from '../context.js'
import { CliUsageError, ConfigFileError } from '../errors.js'

export type ConfigInitOptions = {
  /** Overwrite an existing config. */
  force?: boolean | undefined
  /** Use this key instead of asking (no prompts). */
  privateKey?: string | undefined
  /** Separate Alpha testnet key. */
  alphaPrivateKey?: string | undefined
  email?: string | undefined
  password?: string | undefined
  /** Generate a new key instead of asking (no prompts). */
  generate?: boolean | undefined
  /** Print a generated key. */
  showPrivateKey?: boolean | undefined
}

/**
 * `og config init`: asks for the account's keys and Hub credentials (the reference CLI's
 * prompts), or takes them from options, and saves them with mode 0600. An existing config is
 * only replaced with `--force`.
 *
 * With `--private-key` or `--generate` nothing is asked: values without an option are left unset.
 *
 * @example
 * ```sh
 * og config init                        # interactive
 * og config init --generate --email me@example.com
 * ```
 */
export async function configInit(
  context: CommandContext,
  options: ConfigInitOptions = {},
): Promise<void> {
  if (options.privateKey !== undefined && options.generate) {
    throw new CliUsageError('Pass either --private-key or --generate, not both.')
  }
  if (options.privateKey !== undefined && !isPrivateKeyText(options.privateKey)) {
    throw new CliUsageError('The value of --private-key is not a 32-byte hex string.', {
      metaMessages: ['Expected 64 hex digits, with or without a 0x prefix.'],
    })
  }
  if (options.alphaPrivateKey && !isPrivateKeyText(options.alphaPrivateKey)) {
    throw new CliUsageError('The value of --alpha-private-key is not a 32-byte hex string.', {
      metaMessages: ['Expected 64 hex digits, with or without a 0x prefix.'],
    })
  }

  if (hasConfig(context)) {
    if (!options.force) {
      throw new ConfigFileError(
        "A config already exists. Please run 'opengradient config clear' first if you want to reinitialize.",
        {
          path: context.configPath,
          metaMessages: [
            "You can view your current config with 'opengradient config show'.",
            'Or pass --force to overwrite it.',
          ],
        },
      )
    }
    context.warn(`Overwriting the existing config at ${context.configPath}.`)
  }

  context.print('Initializing OpenGradient config...')
  context.print(`Config will be stored in: ${context.configPath}`)

  const { generatePrivateKey, privateKeyToAccount } = await import('viem/accounts')
  const unattended = options.privateKey !== undefined || options.generate === true
  let privateKey: string
  let generated = false
  if (options.privateKey !== undefined) {
    privateKey = options.privateKey.trim()
  } else if (options.generate) {
    // Stored without 0x, as the reference CLI stores the keys it generates.
    privateKey = generatePrivateKey().slice(2)
    generated = true
  } else if (
    await context.confirm('Do you already have an OpenGradient account?', { defaultValue: true })
  ) {
    privateKey = (await askPrivateKey(context, 'Enter your OpenGradient private key', true))!
  } else {
    privateKey = (await runAccountWizard(context)).privateKey.slice(2)
    generated = true
  }

  const alphaPrivateKey =
    options.alphaPrivateKey !== undefined
      ? options.alphaPrivateKey.trim() || null
      : unattended
        ? null
        : await askPrivateKey(
            context,
            'Enter a separate Alpha Testnet private key (optional, press Enter to reuse the main key)',
            false,
          )
  const email =
    options.email !== undefined
      ? options.email.trim() || null
      : unattended
        ? null
        : (
            await context.prompt(
              'Enter your OpenGradient Hub email address (optional, press Enter to skip)',
            )
          ).trim() || null
  const password =
    options.password !== undefined
      ? options.password || null
      : unattended
        ? null
        : (await context.prompt(
            'Enter your OpenGradient Hub password (optional, press Enter to skip)',
            { hidden: true },
          )) || null

  const config: OpenGradientConfigFile = {
    private_key: privateKey,
    alpha_private_key: alphaPrivateKey,
    email,
    password,
  }
  await writeConfig(context.configPath, config)
  const address: Address = privateKeyToAccount(
    normalizePrivateKey(privateKey) as `0x${string}`,
  ).address

  if (context.json) {
    context.printJson({
      path: context.configPath,
      address,
      generated,
      ...(generated && options.showPrivateKey
        ? { privateKey: normalizePrivateKey(privateKey) }
        : {}),
    })
    return
  }
  context.print('Config has been saved.')
  context.print("You can run 'opengradient config show' to see configs.")
  if (generated) {
    context.print(
      `The private key of ${address} is saved in ${context.configPath}, readable only by you.`,
    )
    if (options.showPrivateKey) context.print(`Private key: ${normalizePrivateKey(privateKey)}`)
    else context.print('It is not shown; pass --show-private-key to print it.')
  }
}

/** True when the config file has any content, including content that cannot be parsed. */
function hasConfig(context: CommandContext): boolean {
  try {
    return Object.keys(context.config).length > 0
  } catch {
    return true
  }
}

async function askPrivateKey(
  context: CommandContext,
  question: string,
  required: boolean,
): Promise<string | null> {
  for (;;) {
    const answer = (await context.prompt(question, { hidden: true })).trim()
    if (!answer && !required) return null
    if (isPrivateKeyText(answer)) return answer
    context.io.stderr.write('Error: a private key is 64 hex digits, with or without a 0x prefix.\n')
  }
}
