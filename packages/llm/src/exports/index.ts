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
  type LlmPaymentConfig,
  type LlmResponseInfo,
  type OnLlmResponse,
} from '../client/createLlmClient.js'
export { placeholderAuthorization } from '../http/request.js'
export { createSseParser, type SseEvent, type SseParser } from '../http/sse.js'
export { toBaseUnits } from '../payments/amounts.js'
export {
  type CheckPaymentSetupParameters,
  type CheckPaymentSetupReturnType,
  checkPaymentSetup,
} from '../payments/checkPaymentSetup.js'
export {
  type CreateX402FetchParameters,
  createX402Fetch,
  type EvmNetwork,
  type PaymentScheme,
  type PaymentSigner,
  type X402Fetch,
} from '../payments/createX402Fetch.js'
export {
  type EnsureOpgApprovalErrorType,
  type EnsureOpgApprovalParameters,
  type EnsureOpgApprovalReturnType,
  ensureOpgApproval,
  minimumOpgApproval,
} from '../payments/ensureOpgApproval.js'
export { paymentOf } from '../payments/paymentDetails.js'
export {
  createUptoSessionStore,
  type UptoSession,
  type UptoSessionStore,
  uptoSessionKey,
} from '../payments/uptoSessions.js'
export {
  type CanonicalTeeRequestParameters,
  canonicalTeeRequest,
  type TeeEndpoint,
  type TeeOutputTextParameters,
  teeOutputText,
} from '../tee/canonical.js'
export {
  type CreateUnpinnedTeeConnectionParameters,
  type CreateUnpinnedTeeConnectionReturnType,
  createUnpinnedTeeConnection,
} from '../tee/createUnpinnedTeeConnection.js'
export {
  type GetActiveTeesErrorType,
  type GetActiveTeesParameters,
  type GetActiveTeesReturnType,
  getActiveTees,
  TeeType,
} from '../tee/getActiveTees.js'
export {
  compareCodePoints,
  type JsonExactValue,
  JsonFloat,
  type PythonJsonDumpsOptions,
  parseJsonExact,
  pythonJsonDumps,
} from '../tee/pythonJson.js'
export type { TeeConnectionParameters } from '../tee/teeConnection.js'
export type {
  ActiveTee,
  ResolvedTee,
  TeeConnection,
  TeeLogger,
  TeeOhttpConfig,
} from '../tee/types.js'
export {
  type TeeProof,
  type TeePublicKey,
  type TeeResponseFields,
  teeIdOf,
  type VerifyTeeResponseErrorType,
  type VerifyTeeResponseParameters,
  type VerifyTeeResponseReturnType,
  verifyTeeResponse,
} from '../tee/verifyTeeResponse.js'
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
