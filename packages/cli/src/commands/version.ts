import { version as coreVersion } from '@opengradient/core'
import type { CommandContext } from '../context.js'
import { version } from '../version.js'

/**
 * `og version`: the versions of the CLI, the core package and Node.js.
 *
 * @example
 * ```sh
 * og version          # opengradient 0.1.0 …
 * og version --json   # {"cli":"0.1.0","core":"0.1.0","node":"v20.19.0"}
 * ```
 */
export async function showVersion(context: CommandContext): Promise<void> {
  if (context.json) {
    context.printJson({ cli: version, core: coreVersion, node: process.version })
    return
  }
  context.print(`opengradient ${version}`)
  context.print(`@opengradient/core ${coreVersion}`)
  context.print(`Node.js ${process.version}`)
}
