// The CLI's own errors, and the one place that turns any error into stderr text and an exit code.
import { BaseError, type BaseErrorParameters, redactSecrets } from '@opengradient/core'
import { CommanderError } from 'commander'
import { toJsonText } from './json.js'

export type CliUsageErrorType = CliUsageError & { name: 'CliUsageError' }

/**
 * The command line itself is wrong: a bad option value, a missing or conflicting option, a
 * confirmation that cannot be asked. Exits with code 2.
 */
export class CliUsageError extends BaseError {
  override name = 'CliUsageError' as const
}

export type CliAbortedErrorType = CliAbortedError & { name: 'CliAbortedError' }

/** The user declined a confirmation or pressed Ctrl-C at a prompt. Exits with code 1. */
export class CliAbortedError extends BaseError {
  override name = 'CliAbortedError' as const
  constructor(parameters: BaseErrorParameters = {}) {
    super('Aborted!', parameters)
  }
}

export type ConfigFileErrorType = ConfigFileError & { name: 'ConfigFileError' }

/** The config file cannot be read, parsed or written. */
export class ConfigFileError extends BaseError {
  override name = 'ConfigFileError' as const
  readonly path: string
  constructor(shortMessage: string, parameters: BaseErrorParameters & { path: string }) {
    const { path, ...rest } = parameters
    super(shortMessage, {
      ...rest,
      metaMessages: [`Config file: ${path}`, ...(rest.metaMessages ?? [])],
    })
    this.path = path
  }
}

export type MissingPrivateKeyErrorType = MissingPrivateKeyError & { name: 'MissingPrivateKeyError' }

/** A command needs an account and no private key is configured. */
export class MissingPrivateKeyError extends BaseError {
  override name = 'MissingPrivateKeyError' as const
  constructor(parameters: BaseErrorParameters = {}) {
    super('Insufficient information to create client. Some commands may not be available.', {
      ...parameters,
      metaMessages: [
        "Please run 'opengradient config clear' and/or 'opengradient config init' and to reinitialize your configs.",
        'Or set OG_PRIVATE_KEY in the environment.',
        ...(parameters.metaMessages ?? []),
      ],
    })
  }
}

export type InvalidPrivateKeyErrorType = InvalidPrivateKeyError & { name: 'InvalidPrivateKeyError' }

/** A private key is not 32 bytes of hex. The key itself is never part of the message. */
export class InvalidPrivateKeyError extends BaseError {
  override name = 'InvalidPrivateKeyError' as const
  constructor(origin: string, parameters: BaseErrorParameters = {}) {
    super(`The private key from ${origin} is not a 32-byte hex string.`, {
      ...parameters,
      metaMessages: [
        'Expected 64 hex digits, with or without a 0x prefix.',
        ...(parameters.metaMessages ?? []),
      ],
    })
  }
}

/** Exit code for an error: 2 for usage errors, 1 for everything else (0 for help and version). */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2
  if (error instanceof BaseError && error.name === 'CliUsageError') return 2
  return 1
}

/** What the error handler prints, already stripped of secrets. */
export type ErrorReport = {
  name: string
  message: string
  details?: string
  metaMessages?: string[]
  docsPath?: string
}

const docsBaseUrl = 'https://opengradient-sdk.dev'

/** Turns any thrown value into the fields printed for it, with secrets removed. */
export function reportOf(error: unknown): ErrorReport {
  if (error instanceof CommanderError) {
    const [first = '', ...rest] = error.message.replace(/^error:\s*/i, '').split('\n')
    const metaMessages = rest.map((line) => redactSecrets(line.trim())).filter(Boolean)
    return {
      name: 'CliUsageError',
      message: redactSecrets(sentence(first)),
      ...(metaMessages.length ? { metaMessages } : {}),
    }
  }
  if (error instanceof BaseError) {
    return {
      name: error.name,
      message: redactSecrets(error.shortMessage),
      ...(error.details && error.details !== error.shortMessage
        ? { details: redactSecrets(error.details) }
        : {}),
      ...(error.metaMessages.length ? { metaMessages: error.metaMessages.map(redactSecrets) } : {}),
      ...(error.docsPath ? { docsPath: error.docsPath } : {}),
    }
  }
  if (error instanceof Error) {
    return { name: error.name || 'Error', message: redactSecrets(error.message) }
  }
  return { name: 'Error', message: redactSecrets(String(error)) }
}

/** Human-readable error text: the short message, its context lines, details and docs link. */
export function formatErrorText(report: ErrorReport): string {
  const lines = [`Error: ${report.message}`]
  for (const line of report.metaMessages ?? []) lines.push(line ? `  ${line}` : '')
  if (report.details) lines.push(`Details: ${report.details}`)
  if (report.docsPath) lines.push(`Docs: ${docsBaseUrl}${report.docsPath}`)
  return `${lines.join('\n')}\n`
}

/** The `--json` form of an error: one document, `{"error": {...}}`. */
export function formatErrorJson(report: ErrorReport): string {
  return `${toJsonText({ error: report })}\n`
}

function sentence(text: string): string {
  const trimmed = text.trim()
  if (!trimmed) return 'Invalid command line.'
  const capitalised = trimmed[0]!.toUpperCase() + trimmed.slice(1)
  return /[.!?)]$/.test(capitalised) ? capitalised : `${capitalised}.`
}
