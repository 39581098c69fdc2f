import { createAlphaClient } from '@opengradient/alpha'
import { InferenceMode } from '@opengradient/core'
import { type Devnet, startDevnet } from '@opengradient/devnet'
import { privateKeyToAccount } from 'viem/accounts'
import type { CommandContext } from '../context.js'
import { flatOutput } from './infer.js'

/** The reference test model's id (served by the devnet under the real network's id). */
const testModelId = 'QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ'

/** One step of the quickstart: it prints as it goes and returns what `--json` reports. */
export type QuickstartStep = {
  title: string
  run(context: CommandContext, devnet: Devnet): Promise<Record<string, unknown>>
}

const inferenceStep: QuickstartStep = {
  title: 'On-chain ONNX inference on the built-in test model',
  async run(context, devnet) {
    const client = createAlphaClient({
      chain: devnet.chain,
      account: privateKeyToAccount(devnet.accounts[0]!.privateKey),
    })
    const input = {
      num_input1: [1, 2, 3],
      num_input2: 10,
      str_input1: ['hello', 'ONNXY'],
      str_input2: ' world',
    }
    context.print(`Model: ${testModelId}`)
    context.print(`Input: ${JSON.stringify(input)}`)
    const result = await client.infer({ model: testModelId, mode: InferenceMode.VANILLA, input })
    context.print(`Transaction: ${result.transactionHash}`)
    context.print(`Inference ID: ${result.inferenceId}`)
    context.print(`Output: ${JSON.stringify(flatOutput(result.modelOutput))}`)
    return { transactionHash: result.transactionHash, output: flatOutput(result.modelOutput) }
  },
}

/** Steps run in order; features add theirs here. */
export const quickstartSteps: QuickstartStep[] = [inferenceStep]

/**
 * `og quickstart`: starts the embedded devnet in a temporary directory, runs each step against
 * it, and stops it.
 */
export async function quickstartCommand(context: CommandContext): Promise<void> {
  const quiet = context.json
  const print = (text = '') => {
    if (!quiet) context.print(text)
  }
  print('Starting a local OpenGradient devnet…')
  const started = Date.now()
  const devnet = await startDevnet({ temporary: true, port: 0 })
  const report: Record<string, unknown> = { rpcUrl: devnet.rpcUrl }
  try {
    print(
      `Devnet ready in ${Date.now() - started} ms at ${devnet.rpcUrl} (chain ${devnet.chain.id})`,
    )
    const stepContext: CommandContext = quiet ? { ...context, print: () => {} } : context
    for (const [index, step] of quickstartSteps.entries()) {
      print()
      print(`${index + 1}. ${step.title}`)
      report[step.title] = await step.run(stepContext, devnet)
    }
  } finally {
    await devnet.stop()
  }
  print()
  print('✅ Quickstart complete. Run `og devnet` to keep a devnet running.')
  if (quiet) context.printJson(report)
}
