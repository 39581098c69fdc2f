import type { CommandContext } from '../context.js'
import { parseAddress, workflowClient } from './workflowShared.js'

/**
 * `og workflow stop ADDRESS`: removes your schedule for a workflow; the contract stays and can
 * still be run by hand.
 *
 * @example
 * ```sh
 * og workflow stop 0x5FbDB2315678afecb367f032d93F642f64180aa3
 * ```
 */
export async function workflowStop(context: CommandContext, address: string): Promise<void> {
  const workflow = parseAddress(address, 'workflow address')
  const client = await workflowClient(context)
  const { transactionHash } = await client.stopTask({ address: workflow })
  if (context.json) {
    context.printJson({ address: workflow, transactionHash })
    return
  }
  context.print(`✅ Schedule of workflow ${workflow} stopped`)
  context.print(`Transaction hash: ${transactionHash.slice(2)}`)
}
