import { taskSchedulerAbi, writeTransaction } from '@opengradient/contracts'
import type { Address, Hash } from '@opengradient/core'
import { encodeFunctionData } from 'viem'
import type { AlphaClient } from '../client/createAlphaClient.js'
import { computeEndTime, resolveSchedulerAddress, toFrequency } from '../utils/schedule.js'

export type UpdateTaskParameters = {
  /** The scheduled workflow contract. */
  address: Address
  /** New number of seconds between runs. */
  frequency: number | bigint
  /**
   * New lifetime of the schedule, in hours after the latest block's time.
   * @default 2
   */
  durationHours?: number | undefined
  /** New explicit end time in unix seconds; overrides `durationHours`. */
  endTime?: bigint | number | undefined
  /** @default the chain's `taskScheduler` contract, else the Alpha testnet's scheduler */
  schedulerAddress?: Address | undefined
  /** Gas limit; skips the estimate. */
  gas?: bigint | undefined
  signal?: AbortSignal | undefined
}

export type UpdateTaskReturnType = {
  transactionHash: Hash
  /** Unix seconds. */
  endTime: bigint
  /** Seconds. */
  frequency: bigint
}

/**
 * Changes the end time and frequency of the caller's schedule for a workflow (`updateTask`).
 * Only the account that registered the task can change it; otherwise the scheduler reverts with
 * "TaskScheduler: task not found" and this throws a `ContractCallFailedError`.
 *
 * @example
 * ```ts
 * import { updateTask } from '@opengradient/alpha'
 *
 * await updateTask(client, { address: workflow, frequency: 1800, durationHours: 48 })
 * ```
 */
export async function updateTask(
  client: AlphaClient,
  parameters: UpdateTaskParameters,
): Promise<UpdateTaskReturnType> {
  const frequency = toFrequency(parameters.frequency)
  const endTime = await computeEndTime(client, parameters)
  const { transactionHash } = await writeTransaction(client, {
    to: resolveSchedulerAddress(client, parameters.schedulerAddress),
    data: encodeFunctionData({
      abi: taskSchedulerAbi,
      functionName: 'updateTask',
      args: [parameters.address, endTime, frequency],
    }),
    gas: parameters.gas,
    signal: parameters.signal,
    functionName: 'updateTask',
  })
  return { transactionHash, endTime, frequency }
}
