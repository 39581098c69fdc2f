import { type FlexibleSchema, jsonSchema, type Tool, tool } from 'ai'
import {
  defaultRunModelToolDescription,
  type ReadWorkflowToolParameters,
  type RunModelToolParameters,
  readWorkflowToolFunction,
  runModelToolFunction,
} from './toolFunctions.js'

export type CreateRunModelToolParameters<args = Record<string, unknown>> = Omit<
  RunModelToolParameters<args>,
  'name'
> & {
  /**
   * The arguments the language model fills in: a zod schema or `jsonSchema(…)`.
   * @default an object without properties
   */
  inputSchema?: FlexibleSchema<args> | undefined
}

export type CreateRunModelToolReturnType<args = Record<string, unknown>> = Tool<args, string>

export type CreateReadWorkflowToolParameters = Omit<ReadWorkflowToolParameters, 'name'>

export type CreateReadWorkflowToolReturnType = Tool<Record<string, never>, string>

/**
 * An AI SDK tool that runs an ONNX model on chain: the language model's arguments go through
 * `inputProvider` to make the model input, and the inference result (transaction hash and
 * output) through `outputFormatter` to make the answer. The tool's name is its key in `tools`.
 *
 * @example
 * ```ts
 * import { createRunModelTool } from '@opengradient/alpha/ai-sdk'
 * import { generateText } from 'ai'
 *
 * const { text } = await generateText({
 *   model,
 *   prompt: 'How volatile is ETH right now?',
 *   tools: {
 *     eth_volatility: createRunModelTool({
 *       client,
 *       model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
 *       inputProvider: async () => ({ open_high_low_close: await lastTenCandles() }),
 *       outputFormatter: ({ modelOutput }) => `${modelOutput.numbers.Y?.data[0]}`,
 *     }),
 *   },
 * })
 * ```
 */
export function createRunModelTool<args = Record<string, unknown>>(
  parameters: CreateRunModelToolParameters<args>,
): CreateRunModelToolReturnType<args> {
  const run = runModelToolFunction({ ...parameters, name: 'run_model' })
  return tool<args, string>({
    description: parameters.description ?? defaultRunModelToolDescription,
    inputSchema:
      parameters.inputSchema ??
      jsonSchema<args>({ type: 'object', properties: {}, additionalProperties: false }),
    execute: (args) => run(args),
  })
}

/**
 * An AI SDK tool without arguments that reads a workflow's latest result and returns
 * `outputFormatter(output)`.
 *
 * @example
 * ```ts
 * import { createReadWorkflowTool } from '@opengradient/alpha/ai-sdk'
 * import { workflowModels } from '@opengradient/alpha'
 *
 * const tools = {
 *   eth_volatility_forecast: createReadWorkflowTool({
 *     client,
 *     address: workflowModels['eth-volatility'].address,
 *     description: 'The latest one-hour ETH/USDT volatility forecast',
 *   }),
 * }
 * ```
 */
export function createReadWorkflowTool(
  parameters: CreateReadWorkflowToolParameters,
): CreateReadWorkflowToolReturnType {
  const read = readWorkflowToolFunction({ ...parameters, name: 'read_workflow' })
  return tool<Record<string, never>, string>({
    description: parameters.description,
    inputSchema: jsonSchema<Record<string, never>>({
      type: 'object',
      properties: {},
      additionalProperties: false,
    }),
    execute: () => read(),
  })
}
