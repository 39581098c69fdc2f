import { priceHistoryInferenceAbi, toCallError } from '@opengradient/contracts'
import {
  type AbiModelOutput,
  type Address,
  decodeModelOutput,
  InvalidInputError,
  type ModelOutput,
} from '@opengradient/core'
import type { AlphaClient } from '../client/createAlphaClient.js'

export type ReadWorkflowHistoryParameters = {
  /** The workflow contract. */
  address: Address
  /** How many of the latest results to read; at least 1. Fewer come back if there are fewer runs. */
  count: number | bigint
  /**
   * `oldest-first` is the contract's own order (chronological, newest last);
   * `newest-first` reverses it.
   * @default 'oldest-first'
   */
  order?: 'oldest-first' | 'newest-first' | undefined
  /** Read at this block instead of the latest. */
  blockNumber?: bigint | undefined
}

/** The results, in the requested order. */
export type ReadWorkflowHistoryReturnType = ModelOutput[]

/**
 * Reads the last `count` results of a workflow with `getLastInferenceResults(count)`: the
 * newest `min(count, runs)`, oldest first unless `order` is `newest-first`. Before any run the
 * list is empty. A `count` below 1 is an `InvalidInputError` with the contract's revert message.
 *
 * Covers the reference's `read_workflow_history`, whose docstring said "most recent result
 * first" although the contract returns them oldest first.
 *
 * @example
 * ```ts
 * import { readWorkflowHistory } from '@opengradient/alpha'
 *
 * const lastFive = await readWorkflowHistory(client, { address: workflow, count: 5, order: 'newest-first' })
 * lastFive[0]?.numbers.Y?.data // the latest volatility
 * ```
 */
export async function readWorkflowHistory(
  client: AlphaClient,
  parameters: ReadWorkflowHistoryParameters,
): Promise<ReadWorkflowHistoryReturnType> {
  const { address, order = 'oldest-first', blockNumber } = parameters
  const count = toCount(parameters.count)
  if (order !== 'oldest-first' && order !== 'newest-first') {
    throw new InvalidInputError(`"order" must be "oldest-first" or "newest-first", got "${order}".`)
  }
  let results: readonly AbiModelOutput[]
  try {
    results = (await client.publicClient.readContract({
      address,
      abi: priceHistoryInferenceAbi,
      functionName: 'getLastInferenceResults',
      args: [count],
      ...(blockNumber !== undefined ? { blockNumber } : {}),
    })) as readonly AbiModelOutput[]
  } catch (error) {
    throw toCallError(error, {
      contractAddress: address,
      functionName: 'getLastInferenceResults',
    })
  }
  const decoded = results.map((result) => decodeModelOutput(result))
  return order === 'newest-first' ? decoded.reverse() : decoded
}

function toCount(count: number | bigint): bigint {
  const valid = typeof count === 'bigint' ? count >= 1n : Number.isInteger(count) && count >= 1
  if (!valid) {
    // The contract's own revert message, so callers see the same text either way.
    throw new InvalidInputError('Number of results must be positive', {
      metaMessages: [`"count" must be a whole number of at least 1, got ${String(count)}.`],
    })
  }
  return BigInt(count)
}
