import type { Hash } from '../types/primitives.js'
import { BaseError, type BaseErrorParameters } from './base.js'

export type ContractCallFailedErrorType = ContractCallFailedError & {
  name: 'ContractCallFailedError'
}

/**
 * A contract call or its simulation reverted. `revertReason` holds the decoded reason string
 * (from `Error(string)`), when the node gave one.
 *
 * @example
 * ```ts
 * if (error instanceof ContractCallFailedError) console.log(error.revertReason)
 * ```
 */
export class ContractCallFailedError extends BaseError {
  override name = 'ContractCallFailedError' as const
  readonly revertReason: string | undefined
  readonly contractAddress: string | undefined
  readonly functionName: string | undefined

  constructor(
    parameters: BaseErrorParameters & {
      revertReason?: string | undefined
      contractAddress?: string | undefined
      functionName?: string | undefined
    },
  ) {
    const { revertReason, contractAddress, functionName, ...rest } = parameters
    super(
      revertReason
        ? `The call${functionName ? ` to "${functionName}"` : ''} reverted with reason: "${revertReason}".`
        : `The call${functionName ? ` to "${functionName}"` : ''} reverted without a reason.`,
      {
        ...rest,
        metaMessages: [
          ...(contractAddress ? [`Contract: ${contractAddress}`] : []),
          ...(rest.metaMessages ?? []),
        ],
      },
    )
    this.revertReason = revertReason
    this.contractAddress = contractAddress
    this.functionName = functionName
  }
}

export type TransactionFailedErrorType = TransactionFailedError & { name: 'TransactionFailedError' }

/**
 * A transaction was mined with status 0 (reverted), or its result could not be read from the
 * receipt. Carries the transaction hash so the caller can look it up, and the revert reason
 * when a replay of the call produced one.
 *
 * @example
 * ```ts
 * if (error instanceof TransactionFailedError) console.log(error.transactionHash, error.revertReason)
 * ```
 */
export class TransactionFailedError extends BaseError {
  override name = 'TransactionFailedError' as const
  readonly transactionHash: Hash | undefined
  readonly revertReason: string | undefined

  constructor(
    shortMessage: string,
    parameters: BaseErrorParameters & {
      transactionHash?: Hash | undefined
      revertReason?: string | undefined
    } = {},
  ) {
    const { transactionHash, revertReason, ...rest } = parameters
    super(shortMessage, {
      ...rest,
      metaMessages: [
        ...(transactionHash ? [`Transaction: ${transactionHash}`] : []),
        ...(revertReason ? [`Revert reason: ${revertReason}`] : []),
        ...(rest.metaMessages ?? []),
      ],
    })
    this.transactionHash = transactionHash
    this.revertReason = revertReason
  }
}
