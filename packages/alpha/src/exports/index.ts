// @opengradient/alpha: on-chain ONNX inference and price-history workflows.

export {
  encodeInferenceId,
  type FetchInferenceResultParameters,
  fetchInferenceResult,
  type RestModelOutput,
} from '../actions/fetchInferenceResult.js'
export { type InferParameters, type InferReturnType, infer } from '../actions/infer.js'
export {
  type AlphaClient,
  type AlphaClientConfig,
  createAlphaClient,
} from '../client/createAlphaClient.js'
export { createNonceManager, type NonceManager } from '../client/nonceManager.js'
export { isNonceError, revertReasonOf } from '../utils/errors.js'
export { findEventLog } from '../utils/logs.js'
export {
  type WriteTransactionParameters,
  type WriteTransactionReturnType,
  writeTransaction,
} from '../utils/writeTransaction.js'
