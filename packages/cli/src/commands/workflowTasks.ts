import type { CommandContext } from '../context.js'
import { isoTime, workflowClient } from './workflowShared.js'

export type WorkflowTasksOptions = {
  /** Only the tasks of the configured account. */
  mine?: boolean | undefined
}

/**
 * `og workflow tasks`: the scheduler's tasks, with whether each still runs.
 *
 * @example
 * ```sh
 * og workflow tasks --mine
 * ```
 */
export async function workflowTasks(
  context: CommandContext,
  options: WorkflowTasksOptions = {},
): Promise<void> {
  const client = await workflowClient(context, { readOnly: !options.mine })
  const user = options.mine
    ? typeof client.account === 'string'
      ? client.account
      : client.account.address
    : undefined
  const tasks = await client.listTasks({ user })
  if (context.json) {
    context.printJson({ tasks })
    return
  }
  if (tasks.length === 0) {
    context.print(options.mine ? 'You have no scheduled workflows.' : 'No scheduled workflows.')
    return
  }
  context.print(`${tasks.length} scheduled workflow${tasks.length === 1 ? '' : 's'}:`)
  for (const task of tasks) {
    context.print()
    context.print(`${task.contractAddress} (${task.active ? 'active' : 'ended'})`)
    context.print(`  Frequency: every ${task.frequency} seconds`)
    context.print(`  End time:  ${isoTime(task.endTime)}`)
    context.print(`  User:      ${task.user}`)
  }
}
