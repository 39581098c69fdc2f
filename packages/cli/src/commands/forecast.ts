import { type WorkflowModelName, workflowModelNames, workflowModels } from '@opengradient/alpha'
import type { CommandContext } from '../context.js'
import { CliUsageError } from '../errors.js'
import { parseAddress, workflowClient } from './workflowShared.js'

export type ForecastOptions = {
  /** Read this contract instead of the table's address. */
  address?: string | undefined
}

/**
 * `og forecast NAME`: the latest value of one of OpenGradient's pre-deployed workflows, as a
 * percentage formatted like the reference readers.
 *
 * @example
 * ```sh
 * og forecast eth-volatility
 * # ETH/USDT one-hour volatility forecast: 0.3774157446%
 * ```
 */
export async function forecast(
  context: CommandContext,
  name: string,
  options: ForecastOptions = {},
): Promise<void> {
  if (!(workflowModelNames as string[]).includes(name)) {
    throw new CliUsageError(`"${name}" is not a known workflow.`, {
      metaMessages: [`Choose one of: ${workflowModelNames.join(', ')}.`],
    })
  }
  const workflow = name as WorkflowModelName
  const address = options.address ? parseAddress(options.address, 'workflow address') : undefined
  const client = await workflowClient(context, { readOnly: true })
  const result = await client.readWorkflowModel({ workflow, address })
  if (context.json) {
    context.printJson({
      workflow,
      address: result.address,
      outputName: result.outputName,
      result: result.result,
      value: result.value,
      blockExplorerLink: result.blockExplorerLink,
    })
    return
  }
  context.print(`${workflowModels[workflow].description}: ${result.result}`)
  if (result.blockExplorerLink) context.print(`Block explorer link: ${result.blockExplorerLink}`)
}
