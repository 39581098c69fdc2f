import type { CommandContext } from '../context.js'
import {
  modelOutputJson,
  parseAddress,
  printModelOutput,
  workflowClient,
} from './workflowShared.js'

/**
 * `og workflow run ADDRESS`: runs a workflow now and prints this run's output (from the
 * transaction's own event).
 *
 * @example
 * ```sh
 * og workflow run 0x5FbDB2315678afecb367f032d93F642f64180aa3
 * ```
 */
export async function workflowRun(context: CommandContext, address: string): Promise<void> {
  const workflow = parseAddress(address, 'workflow address')
  const client = await workflowClient(context)
  if (!context.json) {
    context.print(`Running workflow ${workflow}`)
    context.print()
  }
  const result = await client.runWorkflow({ address: workflow })
  if (context.json) {
    context.printJson({
      address: workflow,
      transactionHash: result.transactionHash,
      inferenceId: result.inferenceId ?? null,
      modelOutput: modelOutputJson(result.modelOutput),
    })
    return
  }
  context.print('✅ Workflow run successful')
  context.print('──────────────────────────────────────')
  context.print(`Transaction hash: ${result.transactionHash.slice(2)}`)
  const explorerTxUrl = client.chain.opengradient.explorerTxUrl
  if (explorerTxUrl) context.print(`Block explorer link: ${explorerTxUrl}${result.transactionHash}`)
  if (result.inferenceId) context.print(`Inference ID: ${result.inferenceId}`)
  context.print()
  context.print('Workflow result:')
  printModelOutput(context, result.modelOutput)
}
