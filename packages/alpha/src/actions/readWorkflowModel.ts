import {
  type Address,
  BaseError,
  InvalidInputError,
  type ModelOutput,
  toFloat32,
} from '@opengradient/core'
import type { AlphaClient } from '../client/createAlphaClient.js'
import { WorkflowResultError } from '../errors/workflow.js'
import { formatPercentage } from '../utils/formatPercentage.js'
import { type WorkflowModelName, workflowModels } from '../workflows/workflowModels.js'
import { readWorkflowResult } from './readWorkflowResult.js'

export type ReadWorkflowModelParameters = {
  /** A pre-deployed workflow of {@link workflowModels}; optional when `address` and `outputName` are given. */
  workflow?: WorkflowModelName | undefined
  /** Overrides the table's address. */
  address?: Address | undefined
  /** Overrides the table's output tensor name. */
  outputName?: string | undefined
  /**
   * Digits after the point of the percentage.
   * @default 10
   */
  decimals?: number | undefined
}

export type ReadWorkflowModelReturnType = {
  /** The value as a percentage, formatted exactly as Python's `format(x, ".10%")`. */
  result: string
  /** The value as the reference decodes it: the float32 of the fixed-point number. */
  value: number
  address: Address
  outputName: string
  /** `<explorer>/address/<address>`, or `''` on a chain without an explorer (the devnet). */
  blockExplorerLink: string
  /** The whole latest output. */
  modelOutput: ModelOutput
}

/**
 * Reads the latest forecast of a pre-deployed workflow: the single element of its output tensor,
 * formatted as a percentage with 10 decimals (Python's half-even rule, not JS `toFixed`). Any
 * failure is a {@link WorkflowResultError} naming the address.
 *
 * Covers the reference's `workflow_models` readers (`read_eth_usdt_one_hour_volatility_forecast`,
 * `read_btc_1_hour_price_forecast`, …).
 *
 * @example
 * ```ts
 * import { readWorkflowModel } from '@opengradient/alpha'
 *
 * const { result, blockExplorerLink } = await readWorkflowModel(client, { workflow: 'eth-volatility' })
 * // result: '0.3774157446%'
 * ```
 */
export async function readWorkflowModel(
  client: AlphaClient,
  parameters: ReadWorkflowModelParameters,
): Promise<ReadWorkflowModelReturnType> {
  const entry = parameters.workflow === undefined ? undefined : workflowModels[parameters.workflow]
  if (parameters.workflow !== undefined && !entry) {
    throw new InvalidInputError(`Unknown workflow "${parameters.workflow}".`, {
      metaMessages: [`Known workflows: ${Object.keys(workflowModels).join(', ')}.`],
    })
  }
  const address = parameters.address ?? entry?.address
  const outputName = parameters.outputName ?? entry?.outputName
  if (!address || !outputName) {
    throw new InvalidInputError('Pass a known "workflow", or both "address" and "outputName".')
  }
  let result: Awaited<ReturnType<typeof readWorkflowResult>>
  try {
    result = await readWorkflowResult(client, { address })
  } catch (error) {
    const reason = error instanceof BaseError ? error.shortMessage : String(error)
    throw new WorkflowResultError(reason, { address, cause: error })
  }
  if (!result.hasResult) {
    throw new WorkflowResultError('the workflow has not run yet, so it has no result.', { address })
  }
  const tensor = result.modelOutput.numbers[outputName]
  if (!tensor) {
    const found = Object.keys(result.modelOutput.numbers)
    throw new WorkflowResultError(`the result has no number tensor "${outputName}".`, {
      address,
      metaMessages: [`Number tensors: ${found.length ? found.join(', ') : '(none)'}`],
    })
  }
  if (tensor.raw.length !== 1) {
    throw new WorkflowResultError(
      `tensor "${outputName}" holds ${tensor.raw.length} values, expected exactly one.`,
      { address },
    )
  }
  const value = toFloat32(tensor.raw[0]!)
  const explorer = client.chain.blockExplorers?.default.url.replace(/\/+$/, '')
  return {
    result: formatPercentage(value, parameters.decimals ?? 10),
    value,
    address,
    outputName,
    blockExplorerLink: explorer ? `${explorer}/address/${address}` : '',
    modelOutput: result.modelOutput,
  }
}
