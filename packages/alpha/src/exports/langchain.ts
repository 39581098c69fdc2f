// @opengradient/alpha/langchain: OpenGradient models and workflows as LangChain.js tools.
// Needs the optional peer @langchain/core.

export {
  type CreateReadWorkflowToolParameters,
  type CreateReadWorkflowToolReturnType,
  type CreateRunModelToolParameters,
  type CreateRunModelToolReturnType,
  createReadWorkflowTool,
  createRunModelTool,
} from '../tools/langchain.js'
export { formatWorkflowOutput } from '../tools/toolFunctions.js'
