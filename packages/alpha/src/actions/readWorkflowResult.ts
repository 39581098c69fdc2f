import { priceHistoryInferenceAbi, toCallError } from '@opengradient/contracts'
import {
  type AbiModelOutput,
  type Address,
  decodeModelOutput,
  type ModelOutput,
} from '@opengradient/core'
import type { AlphaClient } from '../client/createAlphaClient.js'

export type ReadWorkflowResultParameters = {
  /** The workflow contract. */
  address: Address
  /** Read at this block instead of the latest. */
  blockNumber?: bigint | undefined
}

export type ReadWorkflowResultReturnType = {
  /** The latest run's output; empty maps before the first run. */
  modelOutput: ModelOutput
  /**
   * False before the workflow's first run, when the contract answers an empty output (it does
   * not revert).
   */
  hasResult: boolean
}

/**
 * Reads a workflow's latest result with `getInferenceResult()`: one `eth_call`, no retries, no
 * transaction. Before the first run the contract answers an empty output; `hasResult` is then
 * false.
 *
 * Covers the reference's `read_workflow_result`, whose 0.4.6 docstring promised retries and a
 * `{status, result, error}` dictionary that it never returned.
 *
 * @example
 * ```ts
 * import { readWorkflowResult } from '@opengradient/alpha'
 *
 * const { modelOutput, hasResult } = await readWorkflowResult(client, { address: workflow })
 * if (hasResult) console.log(modelOutput.numbers.Y?.data)
 * ```
 */
export async function readWorkflowResult(
  client: AlphaClient,
  parameters: ReadWorkflowResultParameters,
): Promise<ReadWorkflowResultReturnType> {
  const { address, blockNumber } = parameters
  const read = async <name extends 'getInferenceResult' | 'getLastInferenceResults'>(
    functionName: name,
    args?: readonly [bigint],
  ) => {
    try {
      return await client.publicClient.readContract({
        address,
        abi: priceHistoryInferenceAbi,
        functionName,
        ...(args ? { args } : {}),
        ...(blockNumber !== undefined ? { blockNumber } : {}),
      } as never)
    } catch (error) {
      throw toCallError(error, { contractAddress: address, functionName })
    }
  }
  const output = (await read('getInferenceResult')) as AbiModelOutput
  const empty =
    output.numbers.length === 0 && output.strings.length === 0 && output.jsons.length === 0
  let hasResult = !empty
  if (empty) {
    // An empty output is also what a run could store; the history tells the two apart.
    // Contracts without a history (the 0.4.6 workflow) count as not run.
    hasResult = await read('getLastInferenceResults', [1n]).then(
      (results) => (results as readonly unknown[]).length > 0,
      () => false,
    )
  }
  return { modelOutput: decodeModelOutput(output), hasResult }
}
