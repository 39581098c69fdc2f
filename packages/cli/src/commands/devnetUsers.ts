import { resolve } from 'node:path'
import { addHubUser } from '@opengradient/devnet'
import type { CommandContext } from '../context.js'
import { CliUsageError } from '../errors.js'
import { defaultDevnetDataDir } from './devnet.js'

export type DevnetUsersAddOptions = {
  password?: string | undefined
  dataDir?: string | undefined
  tokenLifetime?: string | undefined
}

/**
 * `og devnet users add EMAIL`: adds an account to the devnet's Model Hub sign-in service (or
 * replaces its password). The password is stored as a salted scrypt hash. A running devnet
 * sees the account at once.
 *
 * @example
 * ```sh
 * og devnet users add dev@example.com --password devnet-pw
 * og --network devnet login --email dev@example.com --password devnet-pw
 * ```
 */
export async function devnetUsersAdd(
  context: CommandContext,
  email: string,
  options: DevnetUsersAddOptions,
): Promise<void> {
  const tokenLifetime =
    options.tokenLifetime === undefined ? undefined : Number(options.tokenLifetime)
  if (tokenLifetime !== undefined && (!Number.isInteger(tokenLifetime) || tokenLifetime < 1)) {
    throw new CliUsageError(`"${options.tokenLifetime}" is not a number of seconds.`)
  }
  const password = options.password ?? (await context.prompt('Password', { hidden: true }))
  const result = await addHubUser({
    dataDir: options.dataDir ? resolve(options.dataDir) : defaultDevnetDataDir(context),
    email,
    password,
    tokenLifetime,
  })
  if (context.json) {
    context.printJson(result)
    return
  }
  context.print(
    `${result.created ? 'Added' : 'Updated'} devnet hub user ${result.email} (${result.localId}).`,
  )
  context.print(`Accounts file: ${result.file}`)
}
