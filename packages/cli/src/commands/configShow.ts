import { secretConfigKeys } from '../config.js'
import type { CommandContext } from '../context.js'

/** Environment variables that override config file keys. */
const overridingVariables = [
  'OG_PRIVATE_KEY',
  'OPENGRADIENT_PRIVATE_KEY',
  'OG_ALPHA_PRIVATE_KEY',
  'OG_EMAIL',
  'OG_PASSWORD',
  'OG_NETWORK',
  'OG_RPC_URL',
] as const

/**
 * `og config show`: the config file's path and contents, secrets masked as `*` × length.
 *
 * @example
 * ```sh
 * og config show
 * # Config file location: /home/me/.opengradient_config.json
 * # Current config:
 * # private_key: ****************************************************************
 * # email: Not set
 * ```
 */
export async function configShow(context: CommandContext): Promise<void> {
  const config = context.config
  const masked = Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, maskValue(key, value)]),
  )
  const environmentOverrides = overridingVariables.filter((name) => context.io.env[name])

  if (context.json) {
    context.printJson({ path: context.configPath, config: masked, environmentOverrides })
    return
  }
  context.print(`Config file location: ${context.configPath}`)
  if (Object.keys(config).length === 0) {
    context.print("Config is empty. Run 'opengradient config init' to initialize it.")
  } else {
    context.print('Current config:')
    for (const [key, value] of Object.entries(masked)) {
      context.print(`${key}: ${value === null ? 'Not set' : displayValue(value)}`)
    }
  }
  if (environmentOverrides.length > 0) {
    context.print(`Overridden by the environment: ${environmentOverrides.join(', ')}`)
  }
}

function maskValue(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (!secretConfigKeys.includes(key)) return value
  return '*'.repeat(typeof value === 'string' ? value.length : JSON.stringify(value).length)
}

function displayValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}
