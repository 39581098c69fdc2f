// @opengradient/llm/onchain: LLM calls through the inference hub and precompile 0xF4 (seed-era path).

export { createNonceManager, type NonceManager } from '@opengradient/contracts'
export {
  createOnChainLlmClient,
  type OnChainLlmClient,
  type OnChainLlmClientConfig,
  type OnChainLlmClientWithActions,
} from '../onchain/createOnChainLlmClient.js'
export {
  type AbiChatMessage,
  type AbiToolDefinition,
  type OnChainToolCall,
  onChainToolChoice,
  type TemperatureRounding,
  temperatureToPercent,
  toAbiMessages,
  toAbiTools,
} from '../onchain/requests.js'
export {
  type OnChainChatMessage,
  type RunLlmChatOnChainErrorType,
  type RunLlmChatOnChainParameters,
  type RunLlmChatOnChainReturnType,
  runLlmChatOnChain,
} from '../onchain/runLlmChatOnChain.js'
export {
  type RunLlmCompletionOnChainErrorType,
  type RunLlmCompletionOnChainParameters,
  type RunLlmCompletionOnChainReturnType,
  runLlmCompletionOnChain,
} from '../onchain/runLlmCompletionOnChain.js'
export { llmGasHeadroom } from '../onchain/sendTransaction.js'
