// @opengradient/devnet: a local OpenGradient network on one machine.

export { type DevAccount, devAccounts, devPrivateKeys } from '../accounts.js'
export {
  type AnvilInstance,
  devMnemonic,
  findFreePort,
  type StartAnvilParameters,
  startAnvil,
} from '../anvil/anvil.js'
export { resolveAnvilBinary } from '../anvil/binary.js'
export {
  type CreateOnnxEngineParameters,
  createOnnxEngine,
  InferenceFailedError,
  type InferenceFailedErrorType,
  type OnnxEngine,
  type RunInferenceOnPriceFeedParameters,
  type RunModelInferenceParameters,
} from '../engine/onnx.js'
export {
  createPreExecutor,
  type PrecompileAnswer,
  type PrecompileCall,
  type PrecompileHandler,
  type PreExecutor,
  type Reservation,
  type SendOutcome,
  type TraceableTransaction,
} from '../front/preExecution.js'
export {
  type InferenceRecord,
  inferenceResultResponse,
  openResultStore,
  type ResultStore,
} from '../front/results.js'
export { type Route, readBody, sendJson } from '../front/server.js'
export { faultHeader, hubApiPrefix } from '../hub/api.js'
export { firebaseAuthPrefix } from '../hub/auth.js'
export { ipfsGatewayPrefix } from '../hub/gateway.js'
export { type CreateHubServiceParameters, createHubService } from '../hub/service.js'
export {
  type AddHubUserParameters,
  type AddHubUserReturnType,
  addHubUser,
  defaultDevnetDataDir,
} from '../hub/users.js'
export { crc32, encodePng, renderPromptImage } from '../image/png.js'
export {
  createImageService,
  devnetImageModel,
  devnetServicesPath,
  type ImageService,
  type ImageServiceConfig,
  type ImageUpstreamConfig,
} from '../image/service.js'
export {
  type CreateSelfSignedCertificateParameters,
  type CreateSelfSignedCertificateReturnType,
  createSelfSignedCertificate,
} from '../llm/certificate.js'
export { GatewayError, type GatewayErrorType } from '../llm/errors.js'
export {
  type CreateLlmGatewayParameters,
  createLlmGateway,
  type LlmGateway,
  type LlmGatewayModel,
  type LlmRequestRecord,
  llmFaultHeader,
  llmRequestRecordsPath,
  llmScriptHeader,
} from '../llm/gateway.js'
export {
  type CreatePaymentGateParameters,
  createPaymentGate,
  type LlmPaymentsConfig,
  type PaidRequest,
  type PaymentGate,
  type UptoSessionRecord,
} from '../llm/paymentGate.js'
export {
  createLlmGatewayService,
  type DevnetTee,
  devnetFacilitatorAccount,
  type LlmGatewayService,
  llmGatewayServiceName,
} from '../llm/service.js'
export {
  type CreateTeeSignerParameters,
  createTeeSigner,
  type TeeFields,
  type TeeSigner,
  teeFields,
} from '../llm/tee.js'
export {
  devnetTeeOperatorAddress,
  devnetTeePaymentAddress,
  devnetTeePcrHash,
} from '../llm/teeRegistry.js'
export { devnetTeeDefaultPort } from '../llm/teeServer.js'
export {
  loadTinyLanguageModel,
  type TinyGenerateParameters,
  type TinyLanguageModel,
} from '../llm/tinyModel.js'
export type {
  LlmGatewayConfig,
  LlmModelConfig,
  LlmScript,
  ScriptedReply,
  ScriptedToolCall,
} from '../llm/types.js'
export {
  type BuiltinModel,
  builtinModelPath,
  builtinModels,
  installBuiltinModels,
} from '../models/builtin.js'
export { computeModelCid } from '../models/cid.js'
export {
  type AddModelOptions,
  type CreateModelStoreParameters,
  createModelStore,
  type ModelSource,
  type ModelStore,
  type StoredModel,
} from '../models/store.js'
export {
  type DeployPaymentContractsParameters,
  type DeployPaymentContractsReturnType,
  deployPaymentContracts,
  devnetDeployerAddress,
  devnetOpgPerAccount,
  multicall3Address,
} from '../payments/deployPaymentContracts.js'
export {
  createInferencePrecompileHandler,
  failureReason,
  type LlmRunner,
  type ModelRunner,
  modelOutputRestJson,
} from '../precompiles/inference.js'
export { createJsonRpcClient, type JsonRpcClient, JsonRpcResponseError } from '../rpc/jsonRpc.js'
export type {
  DevnetService,
  DevnetServiceContext,
  DevnetServiceFactory,
  DevnetStartedContext,
} from '../service.js'
export { type Devnet, type StartDevnetParameters, startDevnet } from '../startDevnet.js'
export {
  builtinCandleFiles,
  type Candle,
  type CandleSeries,
  type CandleSource,
  candleDataPath,
  createCsvCandleSource,
  createSyntheticCandleSource,
  PriceFeedError,
  type PriceFeedErrorType,
  pairName,
  parseCandleCsv,
  readCsvCandleSource,
} from '../workflows/candleSources.js'
export {
  type CreateSchedulerExecutorParameters,
  createSchedulerExecutor,
  type SchedulerExecutor,
  type SchedulerPass,
  type SchedulerRun,
} from '../workflows/executor.js'
export {
  type CandleInput,
  type CreatePriceFeedParameters,
  createPriceFeed,
  type FeedCandle,
  maxCandlesPerQuery,
  type PriceFeed,
  type PushCandlesParameters,
} from '../workflows/priceFeed.js'
export {
  type CreatePriceHistoryPrecompileHandlerParameters,
  createPriceHistoryPrecompileHandler,
} from '../workflows/priceHistoryPrecompile.js'
export {
  installReferenceWorkflows,
  type ReferenceWorkflow,
  referenceWorkflows,
  type WorkflowModel,
  workflowModels,
  workflowStorage,
} from '../workflows/referenceWorkflows.js'
export {
  createWorkflowService,
  type InstalledReferenceWorkflow,
  type WorkflowServiceOptions,
  workflowServiceName,
} from '../workflows/workflowService.js'
