// @opengradient/llm/langchain: OpenGradient as a LangChain.js chat model.

export {
  ChatOpenGradient,
  type ChatOpenGradientCallOptions,
  type ChatOpenGradientFields,
} from '../adapters/langchain/chatModel.js'
export { toChatMessage, toToolChoice } from '../adapters/langchain/messages.js'
