// @opengradient/contracts: ABIs, bytecode and typed viem bindings of the OpenGradient contracts.

export type { ContractClient } from '../bindings/client.js'
export {
  type GetInferenceHubContractParameters,
  type GetInferenceHubContractReturnType,
  getInferenceHubContract,
} from '../bindings/inferenceHub.js'
export {
  type GetInferencePrecompileContractParameters,
  type GetInferencePrecompileContractReturnType,
  getInferencePrecompileContract,
} from '../bindings/inferencePrecompile.js'
export {
  type GetOpgTokenContractParameters,
  type GetOpgTokenContractReturnType,
  getOpgTokenContract,
} from '../bindings/opgToken.js'
export {
  type GetPriceHistoryPrecompileContractParameters,
  type GetPriceHistoryPrecompileContractReturnType,
  getPriceHistoryPrecompileContract,
} from '../bindings/priceHistoryPrecompile.js'
export {
  type GetTaskSchedulerContractParameters,
  type GetTaskSchedulerContractReturnType,
  getTaskSchedulerContract,
} from '../bindings/taskScheduler.js'
export {
  type GetLegacyTeeRegistryContractParameters,
  type GetLegacyTeeRegistryContractReturnType,
  type GetTeeRegistryContractParameters,
  type GetTeeRegistryContractReturnType,
  getLegacyTeeRegistryContract,
  getTeeRegistryContract,
} from '../bindings/teeRegistry.js'
export {
  type GetWorkflowContractParameters,
  type GetWorkflowContractReturnType,
  getWorkflowContract,
} from '../bindings/workflow.js'
export { inferencePrecompileAbi } from '../generated/IInferencePrecompile.js'
export {
  inferenceHubAbi,
  inferenceHubBytecode,
  inferenceHubDeployedBytecode,
} from '../generated/InferenceHub.js'
export { priceHistoryPrecompileAbi } from '../generated/IPriceHistoryPrecompile.js'
export { legacyTeeRegistryAbi } from '../generated/LegacyTEERegistry.js'
export {
  opgTokenAbi,
  opgTokenBytecode,
  opgTokenDeployedBytecode,
} from '../generated/OPGToken.js'
export {
  permit2Abi,
  permit2Bytecode,
  permit2DeployedBytecode,
} from '../generated/Permit2.js'
export {
  priceHistoryInferenceAbi,
  priceHistoryInferenceBytecode,
  priceHistoryInferenceDeployedBytecode,
} from '../generated/PriceHistoryInference.js'
export {
  taskSchedulerAbi,
  taskSchedulerBytecode,
  taskSchedulerDeployedBytecode,
} from '../generated/TaskScheduler.js'
export {
  teeRegistryAbi,
  teeRegistryBytecode,
  teeRegistryDeployedBytecode,
} from '../generated/TEERegistry.js'
export {
  x402ExactPermit2ProxyAbi,
  x402ExactPermit2ProxyBytecode,
  x402ExactPermit2ProxyDeployedBytecode,
} from '../generated/X402ExactPermit2Proxy.js'
export {
  x402UptoPermit2ProxyAbi,
  x402UptoPermit2ProxyBytecode,
  x402UptoPermit2ProxyDeployedBytecode,
} from '../generated/X402UptoPermit2Proxy.js'
export { isNonceError, isRevert, revertReasonOf, toCallError } from '../transactions/errors.js'
export { findEventLog, findPrecompileLogBefore } from '../transactions/logs.js'
export {
  type AbiModelOutputData,
  decodeModelOutputData,
} from '../transactions/modelOutputData.js'
export { createNonceManager, type NonceManager } from '../transactions/nonceManager.js'
export {
  type RpcBatch,
  type TransactionClient,
  type WriteTransactionParameters,
  type WriteTransactionReturnType,
  writeTransaction,
} from '../transactions/writeTransaction.js'
export { createHttpRpcBatch } from '../transport/createHttpRpcBatch.js'
export { keepAliveFetch } from '../transport/keepAliveFetch.js'
export { keepAliveHttp } from '../transport/keepAliveHttp.js'
