// Text given to a command inline, from a file, or from stdin ('-').
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { BaseError } from '@opengradient/core'
import type { CommandContext } from './context.js'
import { CliUsageError } from './errors.js'

export type ReadInputTextParameters = {
  /** The positional argument: the text itself, or `-` for stdin. */
  text?: string | undefined
  /** A file to read, or `-` for stdin. */
  file?: string | undefined
  /** How the text is called in messages, e.g. `model input JSON`. */
  what: string
}

/** Reads the text given inline, with `--file <path>`, or as `-` (stdin); exactly one of them. */
export async function readInputText(
  context: CommandContext,
  parameters: ReadInputTextParameters,
): Promise<string> {
  const { text, file, what } = parameters
  if (text !== undefined && file !== undefined) {
    throw new CliUsageError(`Give the ${what} either as an argument or with --file, not both.`)
  }
  if (text === undefined && file === undefined) {
    throw new CliUsageError(`No ${what} given.`, {
      metaMessages: ["Pass it as an argument, with --file <path>, or as '-' to read stdin."],
    })
  }
  if (text === '-' || file === '-') return context.io.input.readAll()
  if (text !== undefined) return text
  const path = resolve(file!)
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'ENOENT' || code === 'EISDIR') {
      throw new CliUsageError(
        code === 'ENOENT' ? `The file "${path}" does not exist.` : `"${path}" is a directory.`,
      )
    }
    throw new BaseError(`The file "${path}" cannot be read.`, { cause: error })
  }
}
