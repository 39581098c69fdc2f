import { version } from '../version.js'

/** Parameters every OpenGradient error accepts besides its short message. */
export type BaseErrorParameters = {
  /** The error this one wraps; kept on `cause` and walked by {@link BaseError.walk}. */
  cause?: unknown | undefined
  /** A longer explanation, shown under the short message. */
  details?: string | undefined
  /** Path of the documentation page that explains the error, relative to the docs site. */
  docsPath?: string | undefined
  /** Context lines (what was being done, with which values), shown under the short message. */
  metaMessages?: readonly string[] | undefined
}

/** Type of {@link BaseError} for `catch` clauses and `ErrorType` unions. */
export type BaseErrorType = BaseError & { name: 'BaseError' }

const docsBaseUrl = 'https://opengradient-sdk.dev'

/**
 * The one error base class of the SDK. Every error thrown by an OpenGradient package is a
 * `BaseError` with a `name` literal, so callers can narrow with `error.name === '...'` without
 * `instanceof` (which fails across duplicated package copies).
 *
 * The `message` is built from the short message, the context lines, the details, the docs link
 * and the SDK version. Secrets never enter any of them: see {@link redactSecrets}.
 *
 * @example
 * ```ts
 * import { BaseError } from '@opengradient/core'
 *
 * try {
 *   await infer(client, parameters)
 * } catch (error) {
 *   if (error instanceof BaseError) {
 *     const revert = error.walk((e) => e instanceof ContractCallFailedError)
 *     console.error(error.shortMessage)
 *   }
 * }
 * ```
 */
export class BaseError extends Error {
  /** The full-sentence summary, without context lines or details. */
  readonly shortMessage: string
  /** A longer explanation (often the message of the cause). */
  readonly details: string
  /** Documentation path for this error, if any. */
  readonly docsPath: string | undefined
  /** Context lines shown with the message. */
  readonly metaMessages: readonly string[]
  /** SDK version that threw. */
  readonly version: string
  override name = 'BaseError'

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const details = parameters.details ?? detailsOf(parameters.cause)
    const docsPath = parameters.docsPath ?? docsPathOf(parameters.cause)
    const lines = [
      shortMessage,
      ...(parameters.metaMessages?.length ? ['', ...parameters.metaMessages] : []),
      ...(details && details !== shortMessage ? ['', `Details: ${details}`] : []),
      ...(docsPath ? [`Docs: ${docsBaseUrl}${docsPath}`] : []),
      `Version: @opengradient/core@${version}`,
    ]
    super(
      redactSecrets(lines.join('\n')),
      parameters.cause === undefined ? undefined : { cause: parameters.cause },
    )
    this.shortMessage = redactSecrets(shortMessage)
    this.details = redactSecrets(details ?? '')
    this.docsPath = docsPath
    this.metaMessages = (parameters.metaMessages ?? []).map(redactSecrets)
    this.version = version
  }

  /**
   * Walks the cause chain, starting with this error.
   *
   * Without a predicate it returns the deepest cause; with one, the first error (this one
   * included) for which the predicate is true, or `null`.
   *
   * @example
   * ```ts
   * const root = error.walk()
   * const http = error.walk((e) => (e as { name?: string }).name === 'HttpRequestError')
   * ```
   */
  walk(): unknown
  walk(predicate: (error: unknown) => boolean): unknown | null
  walk(predicate?: (error: unknown) => boolean): unknown {
    return walkCauses(this, predicate)
  }
}

function walkCauses(error: unknown, predicate?: (error: unknown) => boolean): unknown {
  let current: unknown = error
  const seen = new Set<unknown>()
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current)
    if (predicate?.(current)) return current
    const next = (current as { cause?: unknown }).cause
    if (next === undefined || next === null) break
    current = next
  }
  return predicate ? null : current
}

function detailsOf(cause: unknown): string | undefined {
  if (cause === undefined || cause === null) return undefined
  if (cause instanceof BaseError) return cause.details || cause.shortMessage
  if (cause instanceof Error) return cause.message
  if (typeof cause === 'string') return cause
  return undefined
}

function docsPathOf(cause: unknown): string | undefined {
  return cause instanceof BaseError ? cause.docsPath : undefined
}

// A hex string of exactly 64 digits is a private key or a signature component; tokens follow
// known prefixes or the JWT shape. Transaction hashes are also 64 hex digits, so keys are only
// matched where a label says so, while JWTs and bearer tokens are always removed.
const secretPatterns: readonly [RegExp, string][] = [
  [
    /((?:private[_ -]?key|privateKey|secret|password|passwd|pwd)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
    '$1[redacted]',
  ],
  [/(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1[redacted]'],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted-token]'],
  [
    /((?:payment-signature|x-payment|authorization|idToken|refreshToken|id_token|refresh_token)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
    '$1[redacted]',
  ],
  [/(\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1[redacted]@'],
]

/**
 * Removes secrets from a text: labelled private keys and passwords, bearer and JWT tokens,
 * payment signatures, and credentials inside URLs.
 *
 * Every error message passes through it, so an error printed or logged never leaks a secret.
 *
 * @example
 * ```ts
 * redactSecrets('GET https://user:pass@host/x with Bearer abc.def')
 * // 'GET https://[redacted]@host/x with Bearer [redacted]'
 * ```
 */
export function redactSecrets(text: string): string {
  let result = text
  for (const [pattern, replacement] of secretPatterns) result = result.replace(pattern, replacement)
  return result
}
