import type { Address } from '@opengradient/core'
import { type GetContractReturnType, getContract } from 'viem'
import { priceHistoryInferenceAbi } from '../generated/PriceHistoryInference.js'
import type { ContractClient } from './client.js'

/** Parameters of {@link getWorkflowContract}. */
export type GetWorkflowContractParameters<client extends ContractClient = ContractClient> = {
  /** A public client, a wallet client, or both as `{ public, wallet }`. */
  client: client
  /** The workflow's address: every workflow is its own deployment, so there is no default. */
  address: Address
}

/** Return type of {@link getWorkflowContract}. */
export type GetWorkflowContractReturnType<client extends ContractClient = ContractClient> =
  GetContractReturnType<typeof priceHistoryInferenceAbi, client>

/**
 * A typed viem contract instance of a workflow (`PriceHistoryInference`): `run`, the latest
 * result, the history (oldest first) and the `InferenceResultEmitted` event.
 *
 * @example
 * ```ts
 * import { getWorkflowContract } from '@opengradient/contracts'
 *
 * const workflow = getWorkflowContract({ client, address: '0xD5629A5b95dde11e4B5772B5Ad8a13B933e33845' })
 * const latest = await workflow.read.getInferenceResult()
 * const lastThree = await workflow.read.getLastInferenceResults([3n]) // oldest first
 * ```
 */
export function getWorkflowContract<const client extends ContractClient>(
  parameters: GetWorkflowContractParameters<client>,
): GetWorkflowContractReturnType<client> {
  const { client, address } = parameters
  return getContract({ abi: priceHistoryInferenceAbi, address, client })
}
