import type { Hash } from '../types/primitives.js'
import { BaseError, type BaseErrorParameters } from './base.js'

export type TimeoutErrorType = TimeoutError & { name: 'TimeoutError' }

/**
 * An operation did not finish within its time limit. When the operation was waiting for a
 * sent transaction, `transactionHash` lets the caller keep waiting instead of re-sending.
 *
 * @example
 * ```ts
 * if (error instanceof TimeoutError && error.transactionHash) {
 *   await publicClient.waitForTransactionReceipt({ hash: error.transactionHash })
 * }
 * ```
 */
export class TimeoutError extends BaseError {
  override name = 'TimeoutError' as const
  readonly timeoutMs: number | undefined
  readonly transactionHash: Hash | undefined

  constructor(
    shortMessage: string,
    parameters: BaseErrorParameters & {
      timeoutMs?: number | undefined
      transactionHash?: Hash | undefined
    } = {},
  ) {
    const { timeoutMs, transactionHash, ...rest } = parameters
    super(shortMessage, {
      ...rest,
      metaMessages: [
        ...(timeoutMs !== undefined ? [`Timeout: ${timeoutMs} ms`] : []),
        ...(transactionHash ? [`Transaction: ${transactionHash}`] : []),
        ...(rest.metaMessages ?? []),
      ],
    })
    this.timeoutMs = timeoutMs
    this.transactionHash = transactionHash
  }
}
