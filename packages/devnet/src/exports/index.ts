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
  type TraceableTransaction,
} from '../front/preExecution.js'
export {
  type InferenceRecord,
  inferenceResultResponse,
  openResultStore,
  type ResultStore,
} from '../front/results.js'
export { type Route, readBody, sendJson } from '../front/server.js'
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
