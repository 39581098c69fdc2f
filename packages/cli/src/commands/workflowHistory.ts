import type { CommandContext } from '../context.js'
import { CliUsageError } from '../errors.js'
import {
  modelOutputJson,
  parseAddress,
  parsePositiveInteger,
  printModelOutput,
  workflowClient,
} from './workflowShared.js'

export type WorkflowHistoryOptions = {
  count: string
  order?: string | undefined
}

/**
 * `og workflow history ADDRESS --count N`: the last N results, oldest first (the contract's
 * order) unless `--order newest-first`.
 *
 * @example
 * ```sh
 * og workflow history 0x5FbDB2315678afecb367f032d93F642f64180aa3 --count 5 --order newest-first
 * ```
 */
export async function workflowHistory(
  context: CommandContext,
  address: string,
  options: WorkflowHistoryOptions,
): Promise<void> {
  const workflow = parseAddress(address, 'workflow address')
  const count = parsePositiveInteger(options.count, '--count')
  const order = options.order ?? 'oldest-first'
  if (order !== 'oldest-first' && order !== 'newest-first') {
    throw new CliUsageError(`"${order}" is not an order.`, {
      metaMessages: ['Use oldest-first (the contract order) or newest-first.'],
    })
  }
  const client = await workflowClient(context, { readOnly: true })
  const results = await client.readWorkflowHistory({ address: workflow, count, order })
  if (context.json) {
    context.printJson({ address: workflow, order, results: results.map(modelOutputJson) })
    return
  }
  if (results.length === 0) {
    context.print(`Workflow ${workflow} has not run yet: its history is empty.`)
    return
  }
  context.print(
    `Last ${results.length} result${results.length === 1 ? '' : 's'} of workflow ${workflow}, ${order.replace('-', ' ')}:`,
  )
  for (const [index, result] of results.entries()) {
    context.print()
    context.print(`#${index + 1}`)
    printModelOutput(context, result)
  }
}
