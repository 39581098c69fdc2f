// Streams, environment and prompts of one CLI run, injectable so commands run in-process in tests.
import { homedir } from 'node:os'
import { CliAbortedError, CliUsageError } from './errors.js'

/** Something text can be written to: `process.stdout`, a file stream, a test buffer. */
export type CliWritable = { write(text: string): unknown }

/** A byte or text stream to read answers from; Node's `Readable` streams qualify. */
export type CliReadable = AsyncIterable<string | Uint8Array> & {
  isTTY?: boolean | undefined
  setRawMode?: ((mode: boolean) => unknown) | undefined
}

/**
 * What a CLI run reads and writes. Every field defaults to the process's own.
 *
 * @example
 * ```ts
 * import { Readable } from 'node:stream'
 * let out = ''
 * const code = await runCli(['config', 'show'], {
 *   stdout: { write: (text) => (out += text) },
 *   stdin: Readable.from(['y\n']),
 *   env: {},
 *   homeDir: '/tmp/og-home',
 * })
 * ```
 */
export type CliIo = {
  /** @default process.stdout */
  stdout?: CliWritable | undefined
  /** @default process.stderr */
  stderr?: CliWritable | undefined
  /** Answers to prompts are read from it line by line. @default process.stdin */
  stdin?: CliReadable | undefined
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>> | undefined
  /** Where the default config file lives. @default os.homedir() */
  homeDir?: string | undefined
  /** Whether a person answers the prompts. @default stdin.isTTY */
  isTTY?: boolean | undefined
}

/** {@link CliIo} with every default applied, plus the prompt reader. */
export type ResolvedIo = {
  stdout: CliWritable
  stderr: CliWritable
  env: Readonly<Record<string, string | undefined>>
  homeDir: string
  isTTY: boolean
  input: InputReader
}

export function resolveIo(io: CliIo = {}): ResolvedIo {
  const stdin: CliReadable = io.stdin ?? (process.stdin as CliReadable)
  return {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    homeDir: io.homeDir ?? homedir(),
    isTTY: io.isTTY ?? stdin.isTTY === true,
    input: createInputReader(stdin),
  }
}

/** Reads stdin as lines (for prompts) or whole (for `-` arguments); one buffer for both. */
export type InputReader = {
  /** The next line without its line ending, or `undefined` at the end of input. */
  readLine(): Promise<string | undefined>
  /** The next line typed with echo off when stdin is a terminal. */
  readHiddenLine(): Promise<string | undefined>
  /** Everything left. */
  readAll(): Promise<string>
  /** Stops reading; the stream is released only if it was read from. */
  close(): Promise<void>
}

function createInputReader(stream: CliReadable): InputReader {
  let iterator: AsyncIterator<string | Uint8Array> | undefined
  const decoder = new TextDecoder()
  let buffer = ''
  let ended = false

  async function pull(): Promise<boolean> {
    if (ended) return false
    iterator ??= stream[Symbol.asyncIterator]()
    const next = await iterator.next()
    if (next.done) {
      ended = true
      buffer += decoder.decode()
      return false
    }
    buffer +=
      typeof next.value === 'string' ? next.value : decoder.decode(next.value, { stream: true })
    return true
  }

  function takeLine(end: number): string {
    const line = buffer.slice(0, end).replace(/\r$/, '')
    buffer = buffer.slice(end + 1)
    return line
  }

  async function readLine(): Promise<string | undefined> {
    for (;;) {
      const end = buffer.indexOf('\n')
      if (end !== -1) return takeLine(end)
      if (!(await pull())) {
        if (!buffer) return undefined
        const line = buffer
        buffer = ''
        return line
      }
    }
  }

  return {
    readLine,
    async readHiddenLine() {
      if (!stream.isTTY || typeof stream.setRawMode !== 'function') return readLine()
      stream.setRawMode(true)
      try {
        let line = ''
        for (;;) {
          if (!buffer && !(await pull())) return line || undefined
          const character = buffer[0]!
          buffer = buffer.slice(1)
          if (character === '\r' || character === '\n' || character === '\u0004') return line
          if (character === '\u0003') throw new CliAbortedError()
          if (character === '\u007f' || character === '\b') line = line.slice(0, -1)
          else line += character
        }
      } finally {
        stream.setRawMode(false)
      }
    },
    async readAll() {
      while (await pull()) {}
      const rest = buffer
      buffer = ''
      return rest
    },
    async close() {
      if (iterator && !ended) {
        ended = true
        await iterator.return?.()
      }
    },
  }
}

/**
 * Asks for a line of text; prompts go to stderr so stdout stays clean for output. An empty
 * answer gives `defaultValue` when there is one.
 */
export async function prompt(
  io: ResolvedIo,
  question: string,
  options: { hidden?: boolean | undefined; defaultValue?: string | undefined } = {},
): Promise<string> {
  const suffix = options.defaultValue ? ` [${options.defaultValue}]` : ''
  io.stderr.write(`${question}${suffix}: `)
  const answer = options.hidden ? await io.input.readHiddenLine() : await io.input.readLine()
  // A terminal echoes the answer and its newline, except in hidden input; piped answers are
  // not echoed at all. Either way the next line starts on a line of its own.
  if (options.hidden || !io.isTTY || answer === undefined) io.stderr.write('\n')
  if (answer === undefined) {
    throw new CliUsageError(`The input ended before an answer to "${question}".`, {
      metaMessages: ['Pass the values as options instead (see --help).'],
    })
  }
  return answer === '' && options.defaultValue !== undefined ? options.defaultValue : answer
}

/** Asks a yes/no question, as click's `confirm` does: `[Y/n]` or `[y/N]`, repeated on bad input. */
export async function confirm(
  io: ResolvedIo,
  question: string,
  options: { defaultValue?: boolean | undefined } = {},
): Promise<boolean> {
  const choices =
    options.defaultValue === undefined ? '[y/n]' : options.defaultValue ? '[Y/n]' : '[y/N]'
  for (;;) {
    io.stderr.write(`${question} ${choices}: `)
    const answer = await io.input.readLine()
    if (!io.isTTY || answer === undefined) io.stderr.write('\n')
    if (answer === undefined) {
      throw new CliUsageError(`The input ended before an answer to "${question}".`, {
        metaMessages: ['Pass the values as options instead (see --help).'],
      })
    }
    const normalised = answer.trim().toLowerCase()
    if (normalised === '' && options.defaultValue !== undefined) return options.defaultValue
    if (normalised === 'y' || normalised === 'yes') return true
    if (normalised === 'n' || normalised === 'no') return false
    io.stderr.write('Error: invalid input\n')
  }
}
