import { createAlphaClient } from '@opengradient/alpha'
import { CandleOrder, CandleType, InferenceMode } from '@opengradient/core'
import { addHubUser, builtinModelPath, type Devnet, startDevnet } from '@opengradient/devnet'
import { createHubClient } from '@opengradient/hub'
import { createModel } from '@opengradient/hub/node'
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

const hubStep: QuickstartStep = {
  title: 'Upload a model to the Model Hub and run it on chain by its new CID',
  async run(context, devnet) {
    const email = 'quickstart@example.com'
    const password = 'quickstart-password'
    await addHubUser({ dataDir: devnet.dataDir, email, password })
    const hub = createHubClient({
      baseUrl: devnet.chain.opengradient.hubApiUrl,
      authUrl: devnet.chain.opengradient.hubAuthUrl,
      gatewayUrl: devnet.chain.opengradient.ipfsGatewayUrl,
    })
    await hub.login({ email, password })
    const created = await createModel(hub, {
      name: 'quickstart-mlp',
      description: 'A small classifier uploaded by the quickstart',
      file: builtinModelPath('mlp.onnx'),
    })
    const modelCid = created.upload?.modelCid
    if (!modelCid) throw new Error('The hub answered the upload without a CID.')
    context.print(`Repository: ${created.name}, version ${created.initialVersion}`)
    context.print(`Uploaded mlp.onnx (${created.upload?.size} bytes) as ${modelCid}`)
    const client = createAlphaClient({
      chain: devnet.chain,
      account: privateKeyToAccount(devnet.accounts[2]!.privateKey),
    })
    const result = await client.infer({
      model: modelCid,
      mode: InferenceMode.VANILLA,
      input: { x: [[0.5, -1.2, 3.3, 0.7]] },
    })
    const probabilities = result.modelOutput.numbers.probabilities?.data ?? []
    context.print(`Transaction: ${result.transactionHash}`)
    context.print(`probabilities: [${probabilities.map((value) => value.toFixed(4)).join(', ')}]`)
    return { modelCid, transactionHash: result.transactionHash, probabilities }
  },
}

/** Calls one of the devnet's own JSON-RPC methods. */
async function devnetAdmin<T>(rpcUrl: string, method: string, ...params: unknown[]): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await response.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result as T
}

const workflowStep: QuickstartStep = {
  title: 'A scheduled volatility workflow on real hourly ETH/USDT candles',
  async run(context, devnet) {
    const client = createAlphaClient({
      chain: devnet.chain,
      account: privateKeyToAccount(devnet.accounts[1]!.privateKey),
    })
    const model = (await devnet.models.list()).find((entry) => entry.name?.includes('volatility'))
    if (!model) throw new Error('The devnet has no built-in volatility model.')
    const deployed = await client.newWorkflow({
      model: model.cid,
      inputTensorName: 'open_high_low_close',
      inputQuery: {
        base: 'ETH',
        quote: 'USDT',
        totalCandles: 10,
        candleDurationInMinutes: 60,
        order: CandleOrder.ASCENDING,
        candleTypes: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
      },
      scheduler: { frequency: 3600, durationHours: 4 },
    })
    context.print(`Workflow: ${deployed.address} (model ${model.name}, every hour for 4 hours)`)
    const first = await client.runWorkflow({ address: deployed.address })
    context.print(`Run by hand: Y = ${first.modelOutput.numbers.Y?.data[0]}`)
    // Let the devnet's scheduler run it twice, one hour of chain time apart.
    for (let hour = 1; hour <= 2; hour++) {
      await devnetAdmin(devnet.rpcUrl, 'og_runScheduler', { advanceSeconds: 3600 })
    }
    const history = await client.readWorkflowHistory({ address: deployed.address, count: 3 })
    const values = history.map((output) => output.numbers.Y?.data[0])
    context.print(
      `History (oldest first): ${values.map((value) => value?.toPrecision(6)).join(', ')}`,
    )
    return { address: deployed.address, volatility: values }
  },
}

/** Steps run in order; features add theirs here. */
export const quickstartSteps: QuickstartStep[] = [inferenceStep, hubStep, workflowStep]

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
