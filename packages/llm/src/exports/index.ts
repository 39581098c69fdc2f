// @opengradient/llm: the OpenGradient LLM gateway (chat, completions, streaming) and its TEE proofs.

export {
  type ChatErrorType,
  type ChatParameters,
  type ChatReturnType,
  type ChatStreamOption,
  chat,
} from '../actions/chat.js'
export {
  type CompletionErrorType,
  type CompletionParameters,
  type CompletionReturnType,
  completion,
} from '../actions/completion.js'
export {
  type CreateOpenAICompatibleFetchErrorType,
  type CreateOpenAICompatibleFetchParameters,
  type CreateOpenAICompatibleFetchReturnType,
  createOpenAICompatibleFetch,
} from '../adapters/openai/createOpenAICompatibleFetch.js'
export {
  createLlmClient,
  type LlmClient,
  type LlmClientConfig,
  type LlmResponseInfo,
  type OnLlmResponse,
} from '../client/createLlmClient.js'
export { placeholderAuthorization } from '../http/request.js'
export { createSseParser, type SseEvent, type SseParser } from '../http/sse.js'
export {
  type CanonicalTeeRequestParameters,
  canonicalTeeRequest,
  type TeeEndpoint,
  type TeeOutputTextParameters,
  teeOutputText,
} from '../tee/canonical.js'
export {
  compareCodePoints,
  type JsonExactValue,
  JsonFloat,
  type PythonJsonDumpsOptions,
  parseJsonExact,
  pythonJsonDumps,
} from '../tee/pythonJson.js'
export type {
  ChatContentPart,
  ChatMessage,
  ChatMessageToolCall,
  ChatOutput,
  ChatRole,
  ChatStream,
  ChatStreamChunk,
  ChatTool,
  CompletionOutput,
  ResponseFormat,
  ToolCallDelta,
  ToolChoice,
} from '../types.js'
export {
  defaultSettlementMode,
  parseSettlementMode,
  SettlementMode,
  type SettlementModeInput,
} from '../utils/settlementMode.js'
export { providerOf, toWireModel } from '../utils/wireModel.js'
