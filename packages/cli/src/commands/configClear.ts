import { writeConfig } from '../config.js'
import type { CommandContext } from '../context.js'
import { CliAbortedError, CliUsageError } from '../errors.js'

export type ConfigClearOptions = {
  /** Clear without asking. */
  yes?: boolean | undefined
}

/**
 * `og config clear`: empties the config file after a confirmation (or `--yes`).
 *
 * @example
 * ```sh
 * og config clear --yes   # Configs cleared.
 * ```
 */
export async function configClear(
  context: CommandContext,
  options: ConfigClearOptions = {},
): Promise<void> {
  let isEmpty: boolean
  try {
    isEmpty = Object.keys(context.config).length === 0
  } catch {
    // An unreadable or broken file is something to clear too.
    isEmpty = false
  }
  if (isEmpty) {
    if (context.json) context.printJson({ path: context.configPath, cleared: false })
    context.print('No configs to clear.')
    return
  }
  if (!options.yes) {
    if (!context.io.isTTY) {
      throw new CliUsageError('Refusing to clear the config without a confirmation.', {
        metaMessages: ['Standard input is not a terminal; pass --yes to clear it.'],
      })
    }
    const confirmed = await context.confirm(
      'Are you sure you want to clear all configs? This action cannot be undone.',
      { defaultValue: false },
    )
    if (!confirmed) throw new CliAbortedError()
  }
  await writeConfig(context.configPath, {})
  if (context.json) context.printJson({ path: context.configPath, cleared: true })
  context.print('Configs cleared.')
}
