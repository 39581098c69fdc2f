import type { CommandContext } from '../context.js'
import { openHub } from '../hub.js'
import { toJsonText } from '../json.js'

export type CreateVersionOptions = {
  repo: string
  notes?: string | undefined
  major?: boolean | undefined
}

/**
 * `og create-version`: creates a new version of a repository; the hub picks its number.
 *
 * @example
 * ```sh
 * og create-version --repo my-model --notes "retrained" --major
 * # New version created successfully: {"versionString":"1.00"}
 * ```
 */
export async function createVersion(
  context: CommandContext,
  options: CreateVersionOptions,
): Promise<void> {
  const hub = await openHub(context, { signIn: true })
  try {
    const { versionString } = await hub.client.createVersion({
      model: options.repo,
      notes: options.notes,
      isMajor: options.major === true,
    })
    const result = { versionString: versionString ?? null }
    if (context.json) context.printJson(result)
    else context.print(`New version created successfully: ${toJsonText(result)}`)
  } finally {
    await hub.flush()
  }
}
