// @opengradient/alpha/ai-sdk: OpenGradient models and workflows as Vercel AI SDK tools.
// Needs the optional peer ai.

export {
  type CreateReadWorkflowToolParameters,
  type CreateReadWorkflowToolReturnType,
  type CreateRunModelToolParameters,
  type CreateRunModelToolReturnType,
  createReadWorkflowTool,
  createRunModelTool,
} from '../tools/aiSdk.js'
export { formatWorkflowOutput } from '../tools/toolFunctions.js'
