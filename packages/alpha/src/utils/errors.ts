import { BaseError, ContractCallFailedError } from '@opengradient/core'
import { ContractFunctionRevertedError, decodeErrorResult, BaseError as ViemBaseError } from 'viem'

/**
 * Reads a revert reason out of a viem error (or a raw JSON-RPC error with `data`), if any.
 *
 * @example
 * ```ts
 * const reason = revertReasonOf(error) // 'Model not found: Qm…'
 * ```
 */
export function revertReasonOf(error: unknown): string | undefined {
  if (error instanceof ViemBaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError)
    if (reverted instanceof ContractFunctionRevertedError && reverted.reason) return reverted.reason
    const withData = error.walk(
      (e) =>
        typeof (e as { data?: unknown }).data === 'string' &&
        String((e as { data: string }).data).startsWith('0x08c379a0'),
    ) as { data?: `0x${string}` } | null
    if (withData?.data) {
      try {
        const decoded = decodeErrorResult({
          abi: [{ type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] }],
          data: withData.data,
        })
        return String(decoded.args[0])
      } catch {}
    }
    const match = /execution reverted(?::\s*(?:revert:\s*)?(.+?))?(?:\n|$)/i.exec(
      error.details ?? error.message,
    )
    if (match?.[1]) return match[1].trim()
  }
  return undefined
}

/** True when the node rejected a send because of its nonce (before accepting it). */
export function isNonceError(error: unknown): boolean {
  const text =
    `${(error as Error)?.message ?? ''} ${(error as { details?: string })?.details ?? ''}`.toLowerCase()
  return (
    text.includes('nonce too low') ||
    text.includes('nonce too high') ||
    text.includes('invalid nonce')
  )
}

/** True when the node answered with execution reverted (simulation or estimate). */
export function isRevert(error: unknown): boolean {
  if (revertReasonOf(error) !== undefined) return true
  const text = `${(error as Error)?.message ?? ''} ${(error as { details?: string })?.details ?? ''}`
  return /revert/i.test(text)
}

/**
 * Wraps a viem failure of a simulated call into the SDK's errors: a revert becomes a
 * {@link ContractCallFailedError} with its reason; anything else a {@link BaseError} with the
 * original as `cause`.
 */
export function toCallError(
  error: unknown,
  context: { contractAddress: string; functionName: string },
): BaseError {
  if (error instanceof BaseError) return error
  if (isRevert(error)) {
    return new ContractCallFailedError({
      revertReason: revertReasonOf(error),
      contractAddress: context.contractAddress,
      functionName: context.functionName,
      cause: error,
    })
  }
  return new BaseError(`The call to "${context.functionName}" failed.`, {
    cause: error,
    metaMessages: [`Contract: ${context.contractAddress}`],
  })
}
