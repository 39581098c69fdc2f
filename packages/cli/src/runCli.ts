import { CommanderError } from 'commander'
import { exitCodeOf, formatErrorJson, formatErrorText, reportOf } from './errors.js'
import { type CliIo, resolveIo } from './io.js'
import { commandPathOf, createProgram, type ProgramRun } from './program.js'

/**
 * Runs the `opengradient` CLI with `argv` (without the node and script paths) and returns the
 * exit code: 0 on success, 1 for operational errors, 2 for usage errors. It never exits the
 * process, so commands can run in-process; the `opengradient` binary exits with the code.
 *
 * @example
 * ```ts
 * import { runCli } from '@opengradient/cli'
 * const code = await runCli(['config', 'show', '--json'])
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const resolvedIo = resolveIo(io)
  const run: ProgramRun = {
    io: resolvedIo,
    jsonWritten: false,
    jsonRequested: requestsJson(argv),
  }
  const program = createProgram(run)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    // --json promises exactly one document, even from a command that had nothing to say.
    if (run.jsonRequested && !run.jsonWritten) resolvedIo.stdout.write('{}\n')
    return 0
  } catch (error) {
    const exitCode = exitCodeOf(error)
    if (exitCode === 0) return 0
    const usage = `Run '${commandPathOf(program, argv)} --help' for usage.`
    if (error instanceof CommanderError && error.code === 'commander.help') {
      // A group command without a subcommand: commander has already shown the help.
      if (run.jsonRequested) {
        resolvedIo.stderr.write(
          formatErrorJson({
            name: 'CliUsageError',
            message: 'A command is required.',
            metaMessages: [usage],
          }),
        )
      }
      return exitCode
    }
    const report = reportOf(error)
    if (exitCode === 2) report.metaMessages = [...(report.metaMessages ?? []), usage]
    resolvedIo.stderr.write(run.jsonRequested ? formatErrorJson(report) : formatErrorText(report))
    return exitCode
  } finally {
    await resolvedIo.input.close()
  }
}

/** Whether `--json` is among the options (before any `--`). */
function requestsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json')
}
