import type { CommandContext } from '../context.js'
import { openHub } from '../hub.js'

export type ListFilesOptions = { repo: string; version: string }

/**
 * `og list-files`: the files of a version as a table (name, size, CID).
 *
 * @example
 * ```sh
 * og list-files --repo my-model --version 0.01
 * # Files for my-model version 0.01:
 * #   NAME        SIZE (bytes)  CID
 * #   model.onnx  1234          Qm…
 * ```
 */
export async function listFiles(context: CommandContext, options: ListFilesOptions): Promise<void> {
  const hub = await openHub(context, { signIn: true })
  try {
    const files = await hub.client.listFiles({ model: options.repo, version: options.version })
    if (context.json) {
      context.printJson(files)
      return
    }
    if (files.length === 0) {
      context.print(`No files found for ${options.repo} version ${options.version}`)
      return
    }
    context.print(`Files for ${options.repo} version ${options.version}:`)
    const rows = [
      ['NAME', 'SIZE (bytes)', 'CID'],
      ...files.map((file) => [String(file.name), String(file.size), String(file.ipfsCid ?? '')]),
    ]
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
    for (const row of rows) {
      context.print(
        `  ${row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd()}`,
      )
    }
  } finally {
    await hub.flush()
  }
}
