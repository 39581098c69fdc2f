import { taskSchedulerAbi, writeTransaction } from '@opengradient/contracts'
import type { Address, Hash } from '@opengradient/core'
import { encodeFunctionData } from 'viem'
import type { AlphaClient } from '../client/createAlphaClient.js'
import { computeEndTime, resolveSchedulerAddress, toFrequency } from '../utils/schedule.js'

export type RegisterTaskParameters = {
  /** The workflow contract whose `run()` the executor calls. */
  address: Address
  /**
   * Seconds between runs.
   * @default 600
   */
  frequency?: number | bigint | undefined
  /**
   * How long the schedule lives, in hours after the latest block's time.
   * @default 2
   */
  durationHours?: number | undefined
  /** Explicit end time in unix seconds; overrides `durationHours`. */
  endTime?: bigint | number | undefined
  /** @default the chain's `taskScheduler` contract, else the Alpha testnet's scheduler */
  schedulerAddress?: Address | undefined
  /** Gas limit; skips the estimate. */
  gas?: bigint | undefined
  signal?: AbortSignal | undefined
}

export type RegisterTaskReturnType = {
  transactionHash: Hash
  schedulerAddress: Address
  /** Unix seconds, computed once at registration. */
  endTime: bigint
  /** Seconds. */
  frequency: bigint
}

/**
 * Asks the scheduler to call the workflow's `run()` every `frequency` seconds until `endTime`
 * (`registerTask` of the `TaskScheduler`). Registering the same workflow again from the same
 * account replaces its schedule. The end time is computed once, from block time, unlike the
 * reference, which recomputed it from the wall clock on every read.
 *
 * @example
 * ```ts
 * import { registerTask } from '@opengradient/alpha'
 *
 * const { endTime } = await registerTask(client, { address: workflow, frequency: 3600, durationHours: 24 })
 * ```
 */
export async function registerTask(
  client: AlphaClient,
  parameters: RegisterTaskParameters,
): Promise<RegisterTaskReturnType> {
  const schedulerAddress = resolveSchedulerAddress(client, parameters.schedulerAddress)
  const frequency = toFrequency(parameters.frequency ?? 600)
  const endTime = await computeEndTime(client, parameters)
  const { transactionHash } = await writeTransaction(client, {
    to: schedulerAddress,
    data: encodeFunctionData({
      abi: taskSchedulerAbi,
      functionName: 'registerTask',
      args: [parameters.address, endTime, frequency],
    }),
    gas: parameters.gas,
    signal: parameters.signal,
    functionName: 'registerTask',
  })
  return { transactionHash, schedulerAddress, endTime, frequency }
}
