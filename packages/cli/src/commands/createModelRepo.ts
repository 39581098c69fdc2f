import type { CommandContext } from '../context.js'
import { CliUsageError } from '../errors.js'
import { openHub } from '../hub.js'
import { toJsonText } from '../json.js'

export type CreateModelRepoOptions = {
  /** The repository name; `--name` is the same option. */
  repo?: string | undefined
  name?: string | undefined
  description: string
}

/**
 * `og create-model-repo`: creates a model repository and its first version.
 *
 * @example
 * ```sh
 * og create-model-repo --name my-model --description "A classifier"
 * # Model repository created successfully: {"name":"my-model","initialVersion":"0.01"}
 * ```
 */
export async function createModelRepo(
  context: CommandContext,
  options: CreateModelRepoOptions,
): Promise<void> {
  const repo = options.repo ?? options.name
  if (!repo) throw new CliUsageError("Required option '-r, --repo <name>' not specified.")
  const hub = await openHub(context, { signIn: true })
  try {
    const { name, initialVersion } = await hub.client.createModel({
      name: repo,
      description: options.description,
    })
    const result = { name, initialVersion: initialVersion ?? null }
    if (context.json) context.printJson(result)
    else context.print(`Model repository created successfully: ${toJsonText(result)}`)
  } finally {
    await hub.flush()
  }
}
