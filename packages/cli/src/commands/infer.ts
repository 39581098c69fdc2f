import { createAlphaClient, type InferReturnType } from '@opengradient/alpha'
import {
  InferenceMode,
  type InferenceModeName,
  type ModelOutput,
  modelOutputToJson,
  parseInferenceMode,
  parseModelInputJson,
  reshapeTensor,
} from '@opengradient/core'
import type { CommandContext } from '../context.js'
import { CliUsageError } from '../errors.js'
import { readInputText } from '../inputText.js'

export type InferOptions = {
  model: string
  mode?: string | undefined
  input?: string | undefined
  inputFile?: string | undefined
  maxRetries?: string | undefined
}

/**
 * `og infer`: runs an ONNX model on chain and prints the transaction and the decoded output,
 * with the reference CLI's lines (scripts that grep them keep working).
 */
export async function inferCommand(context: CommandContext, options: InferOptions): Promise<void> {
  if (options.input === undefined && options.inputFile === undefined) {
    throw new CliUsageError('Must specify either input_data or input_file')
  }
  if (options.input !== undefined && options.inputFile !== undefined) {
    throw new CliUsageError('Cannot have both input_data and input_file')
  }
  const modeName = (options.mode ?? 'VANILLA').toUpperCase() as InferenceModeName
  const mode = parseInferenceMode(modeName)
  const text = await readInputText(context, {
    text: options.input,
    file: options.inputFile,
    what: 'model input JSON',
  })
  const input = parseModelInputJson(text)
  const maxRetries = options.maxRetries === undefined ? undefined : Number(options.maxRetries)

  const chain = context.getChain()
  const client = createAlphaClient({ chain, account: await context.getAccount({ key: 'alpha' }) })
  if (!context.json) {
    context.print(`Running ${modeNameOf(mode)} inference for model "${options.model}"`)
    context.print()
  }
  const result = await client.infer({
    model: options.model,
    mode,
    input,
    maxRetries,
    onWarning: (message) => context.warn(message),
  })
  if (context.json) {
    context.printJson({
      transactionHash: result.transactionHash,
      inferenceId: result.inferenceId ?? null,
      modelOutput: modelOutputToJson(result.modelOutput),
    })
    return
  }
  printInferResult(context, result, chain.opengradient.explorerTxUrl)
}

function modeNameOf(mode: number): string {
  return Object.entries(InferenceMode).find(([, value]) => value === mode)?.[0] ?? String(mode)
}

function printInferResult(
  context: CommandContext,
  result: InferReturnType,
  explorerTxUrl: string | undefined,
) {
  context.print('✅ Transaction successful')
  context.print('──────────────────────────────────────')
  // Without 0x, as the reference printed it; the link carries the prefixed form.
  context.print(`Transaction hash: ${result.transactionHash.slice(2)}`)
  if (explorerTxUrl) context.print(`Block explorer link: ${explorerTxUrl}${result.transactionHash}`)
  if (result.inferenceId) context.print(`Inference ID: ${result.inferenceId}`)
  context.print()
  context.print('Inference result:')
  context.print(JSON.stringify(flatOutput(result.modelOutput), null, 2))
}

/** The reference's flat `name → nested array` view of an output. */
export function flatOutput(output: ModelOutput): Record<string, unknown> {
  const flat: Record<string, unknown> = {}
  for (const [name, tensor] of Object.entries(output.numbers)) flat[name] = reshapeTensor(tensor)
  for (const [name, tensor] of Object.entries(output.strings)) flat[name] = reshapeTensor(tensor)
  for (const [name, value] of Object.entries(output.jsons)) flat[name] = value
  return flat
}
