import {
  priceHistoryInferenceAbi,
  priceHistoryInferenceBytecode,
  writeTransaction,
} from '@opengradient/contracts'
import {
  type Address,
  type Hash,
  type HistoricalInputQuery,
  InvalidInputError,
  type SchedulerParams,
  TransactionFailedError,
} from '@opengradient/core'
import { encodeDeployData, getAddress } from 'viem'
import type { AlphaClient } from '../client/createAlphaClient.js'
import { SchedulerRegistrationError } from '../errors/workflow.js'
import { computeEndTime, toFrequency } from '../utils/schedule.js'
import { toAbiHistoricalInputQuery } from '../utils/workflowQuery.js'
import { type RegisterTaskReturnType, registerTask } from './registerTask.js'

export type NewWorkflowParameters = {
  /** The model run at each `run()`: a CID or any model id. */
  model: string
  /** The candles fed to the model at each run. */
  inputQuery: HistoricalInputQuery
  /** The name of the model input that receives the `[totalCandles, candleTypes.length]` tensor. */
  inputTensorName: string
  /**
   * Register the workflow with the scheduler, so it runs every `frequency` seconds (default 600)
   * for `durationHours` (default 2) or until `endTime`. Without it, the workflow only runs when
   * someone calls `run()`.
   */
  scheduler?: SchedulerParams | undefined
  /** @default the chain's `taskScheduler` contract, else the Alpha testnet's scheduler */
  schedulerAddress?: Address | undefined
  /** Gas limit of the deployment; skips the estimate. */
  gas?: bigint | undefined
  /**
   * Multiplier applied to the deployment's gas estimate (deployment runs no inference, so the
   * estimate is close).
   * @default 1.2
   */
  gasMultiplier?: number | undefined
  /**
   * Total send attempts of the deployment when the node rejects it for its nonce.
   * @default 5
   */
  maxRetries?: number | undefined
  signal?: AbortSignal | undefined
}

export type NewWorkflowReturnType = {
  /** The deployed workflow contract. */
  address: Address
  /** The deployment transaction. */
  transactionHash: Hash
  /** The scheduler registration, when `scheduler` was given. */
  task?: RegisterTaskReturnType | undefined
}

/**
 * Deploys a workflow (`PriceHistoryInference`) bound to a model, its input tensor name and a
 * candle query, and optionally registers it with the scheduler. Both receipts are checked.
 *
 * Covers the reference's `new_workflow`. Differences: the arguments are always honoured (0.4.6
 * deployed a contract with hard-coded ones); a failed registration throws a
 * {@link SchedulerRegistrationError} carrying the deployed address instead of a printed warning;
 * the end time is computed once; nothing is printed.
 *
 * @example
 * ```ts
 * import { newWorkflow } from '@opengradient/alpha'
 * import { CandleOrder, CandleType } from '@opengradient/core'
 *
 * const { address, task } = await newWorkflow(client, {
 *   model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
 *   inputTensorName: 'open_high_low_close',
 *   inputQuery: {
 *     base: 'ETH',
 *     quote: 'USDT',
 *     totalCandles: 10,
 *     candleDurationInMinutes: 60,
 *     order: CandleOrder.ASCENDING,
 *     candleTypes: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
 *   },
 *   scheduler: { frequency: 3600, durationHours: 24 },
 * })
 * ```
 */
export async function newWorkflow(
  client: AlphaClient,
  parameters: NewWorkflowParameters,
): Promise<NewWorkflowReturnType> {
  if (!parameters.model) throw new InvalidInputError('"model" must name a model.')
  if (!parameters.inputTensorName) {
    throw new InvalidInputError(
      '"inputTensorName" must name the model input that gets the candles.',
    )
  }
  const query = toAbiHistoricalInputQuery(parameters.inputQuery)
  // Checked, and the end time fixed, before anything is sent.
  const schedule = parameters.scheduler && {
    frequency: toFrequency(parameters.scheduler.frequency ?? 600),
    endTime: await computeEndTime(client, parameters.scheduler),
  }
  const { transactionHash, receipt } = await writeTransaction(client, {
    data: encodeDeployData({
      abi: priceHistoryInferenceAbi,
      bytecode: priceHistoryInferenceBytecode,
      // Model id, then the input name, then the query: the contract's constructor order.
      args: [parameters.model, parameters.inputTensorName, query],
    }),
    gas: parameters.gas,
    gasMultiplier: parameters.gasMultiplier ?? 1.2,
    maxRetries: parameters.maxRetries,
    signal: parameters.signal,
    functionName: 'constructor',
  })
  if (!receipt.contractAddress) {
    throw new TransactionFailedError('The deployment receipt has no contract address.', {
      transactionHash,
    })
  }
  const address = getAddress(receipt.contractAddress)
  if (!schedule) return { address, transactionHash }

  let task: RegisterTaskReturnType
  try {
    task = await registerTask(client, {
      address,
      frequency: schedule.frequency,
      endTime: schedule.endTime,
      schedulerAddress: parameters.schedulerAddress,
      signal: parameters.signal,
    })
  } catch (error) {
    throw new SchedulerRegistrationError({ address, transactionHash, cause: error })
  }
  return { address, transactionHash, task }
}
