import { taskSchedulerAbi, toCallError } from '@opengradient/contracts'
import type { Address } from '@opengradient/core'
import type { AlphaClient } from '../client/createAlphaClient.js'
import { resolveSchedulerAddress } from '../utils/schedule.js'

export type ListTasksParameters = {
  /** Only the tasks registered by this account. */
  user?: Address | undefined
  /** @default the chain's `taskScheduler` contract, else the Alpha testnet's scheduler */
  schedulerAddress?: Address | undefined
}

/** A scheduled workflow. */
export type WorkflowTask = {
  /** The account that registered it. */
  user: Address
  /** The workflow contract. */
  contractAddress: Address
  /** Unix seconds. */
  endTime: bigint
  /** Seconds between runs. */
  frequency: bigint
  /** Whether the latest block is before `endTime`, so the executor still runs it. */
  active: boolean
}

export type ListTasksReturnType = WorkflowTask[]

/**
 * Lists the scheduler's tasks (`getAllTasks`), including those whose end time has passed, with
 * whether each is still active at the latest block. After a `stopTask` the scheduler moves its
 * last task into the freed place, so the order is registration order only until then.
 *
 * @example
 * ```ts
 * import { listTasks } from '@opengradient/alpha'
 *
 * const mine = await listTasks(client, { user: account.address })
 * mine.filter((task) => task.active)
 * ```
 */
export async function listTasks(
  client: AlphaClient,
  parameters: ListTasksParameters = {},
): Promise<ListTasksReturnType> {
  const schedulerAddress = resolveSchedulerAddress(client, parameters.schedulerAddress)
  const [tasks, block] = await Promise.all([
    client.publicClient
      .readContract({
        address: schedulerAddress,
        abi: taskSchedulerAbi,
        functionName: 'getAllTasks',
      })
      .catch((error: unknown) => {
        throw toCallError(error, { contractAddress: schedulerAddress, functionName: 'getAllTasks' })
      }),
    client.publicClient.getBlock({ blockTag: 'latest' }),
  ])
  const user = parameters.user?.toLowerCase()
  return tasks
    .filter((task) => user === undefined || task.user.toLowerCase() === user)
    .map((task) => ({
      user: task.user,
      contractAddress: task.contractAddress,
      endTime: task.endTime,
      frequency: task.frequency,
      active: block.timestamp < task.endTime,
    }))
}
