import type { CommandContext } from '../context.js'
import {
  modelOutputJson,
  parseAddress,
  printModelOutput,
  workflowClient,
} from './workflowShared.js'

/**
 * `og workflow result ADDRESS`: the workflow's latest result, read without a transaction.
 *
 * @example
 * ```sh
 * og workflow result 0x5FbDB2315678afecb367f032d93F642f64180aa3 --json
 * # {"address":"0x…","hasResult":true,"modelOutput":{…}}
 * ```
 */
export async function workflowResult(context: CommandContext, address: string): Promise<void> {
  const workflow = parseAddress(address, 'workflow address')
  const client = await workflowClient(context, { readOnly: true })
  const { modelOutput, hasResult } = await client.readWorkflowResult({ address: workflow })
  if (context.json) {
    context.printJson({ address: workflow, hasResult, modelOutput: modelOutputJson(modelOutput) })
    return
  }
  if (!hasResult) {
    context.print(`Workflow ${workflow} has not run yet: it has no result.`)
    return
  }
  context.print(`Latest result of workflow ${workflow}:`)
  printModelOutput(context, modelOutput)
}
