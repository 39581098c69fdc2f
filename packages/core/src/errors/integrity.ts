import { BaseError, type BaseErrorParameters } from './base.js'
import { stripUrlCredentials } from './http.js'

export type IntegrityErrorType = IntegrityError & { name: 'IntegrityError' }

/**
 * Downloaded content does not match the content id it was asked for: a gateway or a server
 * answered with other bytes (tampered, truncated, or another file). The bytes are refused.
 *
 * @example
 * ```ts
 * try {
 *   await downloadModel(hub, { cid })
 * } catch (error) {
 *   if (error instanceof IntegrityError) console.error(error.expectedCid, error.actualCid)
 * }
 * ```
 */
export class IntegrityError extends BaseError {
  override name = 'IntegrityError' as const
  /** The content id that was asked for. */
  readonly expectedCid: string
  /** The content id of the bytes that arrived. */
  readonly actualCid: string
  /** Where the bytes came from, without credentials. */
  readonly url: string | undefined

  constructor(
    parameters: BaseErrorParameters & {
      expectedCid: string
      actualCid: string
      url?: string | undefined
    },
  ) {
    const { expectedCid, actualCid, url, ...rest } = parameters
    const safeUrl = url === undefined ? undefined : stripUrlCredentials(url)
    super(`The downloaded bytes are not the content "${expectedCid}"; they were refused.`, {
      ...rest,
      metaMessages: [
        `Expected: ${expectedCid}`,
        `Received: ${actualCid}`,
        ...(safeUrl ? [`Source: ${safeUrl}`] : []),
        ...(rest.metaMessages ?? []),
      ],
    })
    this.expectedCid = expectedCid
    this.actualCid = actualCid
    this.url = safeUrl
  }
}
