import { writeConfig } from '../config.js'
import type { CommandContext } from '../context.js'
import { openHub } from '../hub.js'

export type LoginOptions = {
  email?: string | undefined
  password?: string | undefined
  /** Also store the email and password in the config file, as the reference CLI did. */
  savePassword?: boolean | undefined
}

/**
 * `og login`: signs in to the Model Hub and saves the session (tokens, never the password)
 * beside the config file with mode 0600. Missing values are asked for (the password hidden),
 * defaulting to OG_EMAIL / OG_PASSWORD or the config file.
 *
 * @example
 * ```sh
 * og login --email me@example.com          # asks for the password
 * og --network devnet login --email dev@example.com --password devnet-pw
 * ```
 */
export async function login(context: CommandContext, options: LoginOptions): Promise<void> {
  const { settings } = context
  const email =
    options.email?.trim() ||
    (await context.prompt('Model Hub email address', { defaultValue: settings.email?.value }))
  const password =
    options.password ??
    (settings.password?.value || (await context.prompt('Model Hub password', { hidden: true })))
  const hub = await openHub(context, { signIn: false })
  // A new sign-in replaces the saved session of this hub (saved as the client reports it).
  const session = await hub.client.login({ email: email.trim(), password })
  await hub.flush()
  if (options.savePassword) {
    await writeConfig(context.configPath, { ...context.config, email: session.email, password })
  }
  if (context.json) {
    context.printJson({
      email: session.email,
      localId: session.localId,
      expiresAt: new Date(session.expiresAt).toISOString(),
      hub: hub.endpoints.baseUrl,
      sessionFile: hub.sessionPath,
    })
    return
  }
  context.print(`Signed in to the Model Hub as ${session.email}.`)
  context.print(`Session saved to ${hub.sessionPath} (readable only by you).`)
  if (options.savePassword) context.print(`Email and password saved to ${context.configPath}.`)
}
