// The send path of on-chain LLM calls: the shared one of @opengradient/contracts, with headroom
// for the answer the simulation cannot see.

import { writeTransaction } from '@opengradient/contracts'
import type { Hash, Hex } from '@opengradient/core'
import type { Address, TransactionReceipt } from 'viem'
import type { OnChainLlmClient } from './createOnChainLlmClient.js'

/**
 * Gas added to the multiplied estimate: estimates run in simulation, where the LLM answer is
 * empty, while the real execution also decodes the answer and emits it in two events.
 */
export const llmGasHeadroom = 500_000n

export type SendTransactionParameters = {
  to: Address
  data: Hex
  /** For error messages. */
  functionName: string
  /** Gas limit; skips the estimate. */
  gas?: bigint | undefined
  /** Total attempts while the node rejects the send for its nonce. @default 5 */
  maxRetries?: number | undefined
  signal?: AbortSignal | undefined
}

/**
 * Sends an on-chain LLM transaction and waits for its receipt: `writeTransaction` of
 * `@opengradient/contracts` (sent once; retried only when the node rejected it for its nonce;
 * reverts as typed errors with the reason) with {@link llmGasHeadroom} added to the estimate.
 *
 * @example
 * ```ts
 * const { transactionHash, receipt } = await sendTransaction(client, { to: hub, data, functionName: 'runLLMChat' })
 * ```
 */
export async function sendTransaction(
  client: OnChainLlmClient,
  parameters: SendTransactionParameters,
): Promise<{ transactionHash: Hash; receipt: TransactionReceipt }> {
  return await writeTransaction(client, { ...parameters, gasHeadroom: llmGasHeadroom })
}
