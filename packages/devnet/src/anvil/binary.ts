import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { BaseError } from '@opengradient/core'

const platformPackages: Record<string, string> = {
  'linux-x64': '@foundry-rs/anvil-linux-amd64',
  'linux-arm64': '@foundry-rs/anvil-linux-arm64',
  'darwin-x64': '@foundry-rs/anvil-darwin-amd64',
  'darwin-arm64': '@foundry-rs/anvil-darwin-arm64',
  'win32-x64': '@foundry-rs/anvil-win32-amd64',
}

/**
 * Finds the anvil binary shipped by `@foundry-rs/anvil`'s platform package. `OG_ANVIL_BIN`
 * overrides it (for a system-wide foundry install).
 *
 * @example
 * ```ts
 * const binary = resolveAnvilBinary()
 * ```
 */
export function resolveAnvilBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OG_ANVIL_BIN) return env.OG_ANVIL_BIN
  const key = `${process.platform}-${process.arch}`
  const packageName = platformPackages[key]
  if (!packageName) {
    throw new BaseError(`Anvil has no prebuilt binary for platform "${key}".`, {
      metaMessages: ['Install foundry and set OG_ANVIL_BIN to the anvil binary.'],
    })
  }
  const require = createRequire(import.meta.url)
  try {
    const packageJson = require.resolve(`${packageName}/package.json`)
    const binary = join(
      dirname(packageJson),
      'bin',
      process.platform === 'win32' ? 'anvil.exe' : 'anvil',
    )
    if (existsSync(binary)) return binary
  } catch {}
  throw new BaseError(`The anvil binary of "${packageName}" is not installed.`, {
    metaMessages: [
      'Reinstall dependencies so the optional platform package is present,',
      'or install foundry and set OG_ANVIL_BIN to the anvil binary.',
    ],
  })
}
