import { BaseError, ContractCallFailedError } from '@opengradient/core'
import { decodeErrorResult } from 'viem'

/**
 * Reads a revert reason out of a viem error (or a raw JSON-RPC error with `data`), if any.
 *
 * @example
 * ```ts
 * const reason = revertReasonOf(error) // 'Model not found: Qm…'
 * ```
 */
export function revertReasonOf(error: unknown): string | undefined {
  // Duck-typed rather than `instanceof`: the caller's viem may be another copy than ours.
  const chain: {
    name?: string
    reason?: string
    data?: unknown
    details?: string
    message?: string
  }[] = []
  for (let current = error as (typeof chain)[number] & { cause?: unknown }; current; ) {
    chain.push(current)
    if (chain.length > 32 || typeof current !== 'object') break
    current = current.cause as typeof current
  }
  const reverted = chain.find((e) => e.name === 'ContractFunctionRevertedError' && e.reason)
  if (reverted?.reason) return reverted.reason
  const withData = chain.find(
    (e) => typeof e.data === 'string' && (e.data as string).startsWith('0x08c379a0'),
  )
  if (withData) {
    try {
      const decoded = decodeErrorResult({
        abi: [{ type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] }],
        data: withData.data as `0x${string}`,
      })
      return String(decoded.args[0])
    } catch {}
  }
  for (const e of chain) {
    const match = /execution reverted(?::\s*(?:revert:\s*)?(.+?))?(?:\n|$)/i.exec(
      e.details ?? e.message ?? '',
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
