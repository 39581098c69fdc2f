import { type DynamicStructuredTool, type ToolSchemaBase, tool } from '@langchain/core/tools'
import {
  defaultRunModelToolDescription,
  type ReadWorkflowToolParameters,
  type RunModelToolParameters,
  readWorkflowToolFunction,
  runModelToolFunction,
} from './toolFunctions.js'

export type CreateRunModelToolParameters<args = Record<string, unknown>> =
  RunModelToolParameters<args> & {
    /**
     * The arguments the language model fills in: a zod object or a JSON schema.
     * @default an object without properties
     */
    schema?: ToolSchemaBase | undefined
  }

export type CreateRunModelToolReturnType = DynamicStructuredTool

export type CreateReadWorkflowToolParameters = ReadWorkflowToolParameters

export type CreateReadWorkflowToolReturnType = DynamicStructuredTool

const emptyObjectSchema = { type: 'object', properties: {} } as const

/**
 * A LangChain tool that runs an ONNX model on chain: the language model's arguments go through
 * `inputProvider` to make the model input, and the inference result (transaction hash and
 * output) through `outputFormatter` to make the answer.
 *
 * Covers the reference's `create_run_model_tool(ToolType.LANGCHAIN, …)` of 0.4.8 and later.
 *
 * @example
 * ```ts
 * import { createRunModelTool } from '@opengradient/alpha/langchain'
 * import { z } from 'zod'
 *
 * const volatility = createRunModelTool({
 *   client,
 *   model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
 *   name: 'eth_volatility',
 *   description: 'Volatility of ETH/USDT over the last ten hours',
 *   schema: z.object({ hours: z.number() }),
 *   inputProvider: async () => ({ open_high_low_close: await lastTenCandles() }),
 *   outputFormatter: ({ modelOutput }) => `${modelOutput.numbers.Y?.data[0]}`,
 * })
 * const agent = model.bindTools([volatility])
 * ```
 */
export function createRunModelTool<args = Record<string, unknown>>(
  parameters: CreateRunModelToolParameters<args>,
): CreateRunModelToolReturnType {
  const run = runModelToolFunction(parameters)
  return tool((args: unknown) => run(args as args), {
    name: parameters.name,
    description: parameters.description ?? defaultRunModelToolDescription,
    schema: (parameters.schema ?? emptyObjectSchema) as typeof emptyObjectSchema,
  }) as unknown as CreateRunModelToolReturnType
}

/**
 * A LangChain tool without arguments that reads a workflow's latest result and returns
 * `outputFormatter(output)`.
 *
 * Covers the reference's `create_read_workflow_tool(ToolType.LANGCHAIN, …)`.
 *
 * @example
 * ```ts
 * import { createReadWorkflowTool } from '@opengradient/alpha/langchain'
 * import { formatPercentage, workflowModels } from '@opengradient/alpha'
 *
 * const ethVolatility = createReadWorkflowTool({
 *   client,
 *   address: workflowModels['eth-volatility'].address,
 *   name: 'eth_volatility_forecast',
 *   description: 'The latest one-hour ETH/USDT volatility forecast',
 *   outputFormatter: (output) => formatPercentage(output.numbers.Y?.data[0] ?? Number.NaN),
 * })
 * ```
 */
export function createReadWorkflowTool(
  parameters: CreateReadWorkflowToolParameters,
): CreateReadWorkflowToolReturnType {
  const read = readWorkflowToolFunction(parameters)
  return tool(() => read(), {
    name: parameters.name,
    description: parameters.description,
    schema: emptyObjectSchema,
  }) as unknown as CreateReadWorkflowToolReturnType
}
