import { type Address, taskSchedulerAddress } from '@opengradient/core'
import { type GetContractReturnType, getContract } from 'viem'
import { taskSchedulerAbi } from '../generated/TaskScheduler.js'
import { type ContractClient, resolveContractAddress } from './client.js'

/** Parameters of {@link getTaskSchedulerContract}. */
export type GetTaskSchedulerContractParameters<client extends ContractClient = ContractClient> = {
  /** A public client, a wallet client, or both as `{ public, wallet }`. */
  client: client
  /**
   * The scheduler's address. Pass `legacyTaskSchedulerAddress` for scripts written for
   * reference 0.4.6.
   * @default the client chain's `contracts.taskScheduler`, else `taskSchedulerAddress` (Alpha testnet)
   */
  address?: Address | undefined
}

/** Return type of {@link getTaskSchedulerContract}. */
export type GetTaskSchedulerContractReturnType<client extends ContractClient = ContractClient> =
  GetContractReturnType<typeof taskSchedulerAbi, client>

/**
 * A typed viem contract instance of the workflow scheduler (`registerTask`, `updateTask`,
 * `stopTask`, `getAllTasks`, ...). `endTime` is a unix time in seconds and `frequency` is in
 * seconds.
 *
 * @example
 * ```ts
 * import { getTaskSchedulerContract } from '@opengradient/contracts'
 *
 * const scheduler = getTaskSchedulerContract({ client: { public: publicClient, wallet: walletClient } })
 * const endTime = BigInt(Math.floor(Date.now() / 1000) + 2 * 3600)
 * const hash = await scheduler.write.registerTask([workflowAddress, endTime, 600n])
 * const tasks = await scheduler.read.getAllTasks()
 * ```
 */
export function getTaskSchedulerContract<const client extends ContractClient>(
  parameters: GetTaskSchedulerContractParameters<client>,
): GetTaskSchedulerContractReturnType<client> {
  const { client } = parameters
  const address = resolveContractAddress(
    client,
    'taskScheduler',
    parameters.address,
    taskSchedulerAddress,
  )
  return getContract({ abi: taskSchedulerAbi, address, client })
}
