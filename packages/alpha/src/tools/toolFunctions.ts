// What the agent tools do, free of any agent framework: the LangChain and AI SDK entries wrap
// these functions in their own tool types.
import {
  type Address,
  type InferenceMode,
  type InferenceModeName,
  type InferenceResult,
  InvalidInputError,
  type ModelInput,
  type ModelOutput,
  modelOutputToJson,
} from '@opengradient/core'
import { infer } from '../actions/infer.js'
import { readWorkflowResult } from '../actions/readWorkflowResult.js'
import type { AlphaClient } from '../client/createAlphaClient.js'

/** Parameters shared by every framework's `createRunModelTool`. */
export type RunModelToolParameters<args> = {
  /** The Alpha client that runs the model (the reference's `inference`). */
  client: AlphaClient
  /** The model id. */
  model: string
  /**
   * Inference mode.
   * @default 'VANILLA'
   */
  mode?: InferenceMode | InferenceModeName | undefined
  /** Tool name the model calls. */
  name: string
  /** @default 'Executes the given ML model' */
  description?: string | undefined
  /** Builds the model input from the arguments the language model chose. */
  inputProvider: (args: args) => ModelInput | Promise<ModelInput>
  /** Turns the inference result (transaction hash and output) into the tool's answer. */
  outputFormatter: (result: InferenceResult) => string | Promise<string>
}

/** Parameters shared by every framework's `createReadWorkflowTool`. */
export type ReadWorkflowToolParameters = {
  /** The Alpha client that reads the workflow (the reference's `alpha`). */
  client: AlphaClient
  /** The workflow contract. */
  address: Address
  /** Tool name the model calls. */
  name: string
  /** What the workflow computes, for the language model. */
  description: string
  /**
   * Turns the workflow's latest output into the tool's answer.
   * @default the output as JSON text (exact values as decimal strings)
   */
  outputFormatter?: ((output: ModelOutput) => string | Promise<string>) | undefined
}

/** The description of a run-model tool when none is given (the reference's). */
export const defaultRunModelToolDescription = 'Executes the given ML model'

/**
 * The function behind a run-model tool: `outputFormatter(await infer(client, { model, mode,
 * input: await inputProvider(args) }))`.
 *
 * @example
 * ```ts
 * const run = runModelToolFunction({ client, model, name: 'volatility', inputProvider, outputFormatter })
 * await run({ token: 'ethereum' })
 * ```
 */
export function runModelToolFunction<args>(
  parameters: RunModelToolParameters<args>,
): (args: args) => Promise<string> {
  requireClient(parameters.client)
  const { client, model, inputProvider, outputFormatter } = parameters
  if (typeof inputProvider !== 'function' || typeof outputFormatter !== 'function') {
    throw new InvalidInputError(
      'A run-model tool needs an "inputProvider" and an "outputFormatter".',
    )
  }
  const mode = parameters.mode ?? 'VANILLA'
  return async (args) => {
    const input = await inputProvider(args)
    return await outputFormatter(await infer(client, { model, mode, input }))
  }
}

/**
 * The function behind a read-workflow tool: `outputFormatter(latest output)`; it takes no
 * arguments.
 *
 * @example
 * ```ts
 * const read = readWorkflowToolFunction({ client, address, name: 'eth_volatility', description })
 * await read()
 * ```
 */
export function readWorkflowToolFunction(
  parameters: ReadWorkflowToolParameters,
): () => Promise<string> {
  requireClient(parameters.client)
  const { client, address } = parameters
  const outputFormatter = parameters.outputFormatter ?? formatWorkflowOutput
  return async () => {
    const { modelOutput } = await readWorkflowResult(client, { address })
    return await outputFormatter(modelOutput)
  }
}

/**
 * A model output as JSON text, exact fixed-point values included: the read-workflow tools'
 * default formatter.
 *
 * @example
 * ```ts
 * formatWorkflowOutput(modelOutput) // '{"numbers":{"Y":{"shape":[1],"data":[0.0021],...}},...}'
 * ```
 */
export function formatWorkflowOutput(output: ModelOutput): string {
  return JSON.stringify(modelOutputToJson(output))
}

function requireClient(client: unknown): void {
  if (!client || typeof client !== 'object' || !('publicClient' in client)) {
    throw new InvalidInputError(
      'No Alpha client was given: pass client: createAlphaClient({ account, chain }).',
    )
  }
}
