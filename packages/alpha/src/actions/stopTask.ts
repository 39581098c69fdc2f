import { taskSchedulerAbi, writeTransaction } from '@opengradient/contracts'
import type { Address, Hash } from '@opengradient/core'
import { encodeFunctionData } from 'viem'
import type { AlphaClient } from '../client/createAlphaClient.js'
import { resolveSchedulerAddress } from '../utils/schedule.js'

export type StopTaskParameters = {
  /** The scheduled workflow contract. */
  address: Address
  /** @default the chain's `taskScheduler` contract, else the Alpha testnet's scheduler */
  schedulerAddress?: Address | undefined
  /** Gas limit; skips the estimate. */
  gas?: bigint | undefined
  signal?: AbortSignal | undefined
}

export type StopTaskReturnType = { transactionHash: Hash }

/**
 * Removes the caller's schedule for a workflow (`stopTask`); the contract itself stays and can
 * still be run by hand. A workflow without a schedule of the caller's makes the scheduler revert
 * with "TaskScheduler: task not found", thrown as a `ContractCallFailedError`.
 *
 * @example
 * ```ts
 * import { stopTask } from '@opengradient/alpha'
 *
 * await stopTask(client, { address: workflow })
 * ```
 */
export async function stopTask(
  client: AlphaClient,
  parameters: StopTaskParameters,
): Promise<StopTaskReturnType> {
  const { transactionHash } = await writeTransaction(client, {
    to: resolveSchedulerAddress(client, parameters.schedulerAddress),
    data: encodeFunctionData({
      abi: taskSchedulerAbi,
      functionName: 'stopTask',
      args: [parameters.address],
    }),
    gas: parameters.gas,
    signal: parameters.signal,
    functionName: 'stopTask',
  })
  return { transactionHash }
}
