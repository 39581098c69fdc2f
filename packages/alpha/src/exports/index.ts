// @opengradient/alpha: on-chain ONNX inference and price-history workflows.

export {
  createNonceManager,
  findEventLog,
  isNonceError,
  type NonceManager,
  revertReasonOf,
  type WriteTransactionParameters,
  type WriteTransactionReturnType,
  writeTransaction,
} from '@opengradient/contracts'
export {
  encodeInferenceId,
  type FetchInferenceResultParameters,
  fetchInferenceResult,
  type RestModelOutput,
} from '../actions/fetchInferenceResult.js'
export { type InferParameters, type InferReturnType, infer } from '../actions/infer.js'
export {
  type ListTasksParameters,
  type ListTasksReturnType,
  listTasks,
  type WorkflowTask,
} from '../actions/listTasks.js'
export {
  type NewWorkflowParameters,
  type NewWorkflowReturnType,
  newWorkflow,
} from '../actions/newWorkflow.js'
export {
  type ReadWorkflowHistoryParameters,
  type ReadWorkflowHistoryReturnType,
  readWorkflowHistory,
} from '../actions/readWorkflowHistory.js'
export {
  type ReadWorkflowModelParameters,
  type ReadWorkflowModelReturnType,
  readWorkflowModel,
} from '../actions/readWorkflowModel.js'
export {
  type ReadWorkflowResultParameters,
  type ReadWorkflowResultReturnType,
  readWorkflowResult,
} from '../actions/readWorkflowResult.js'
export {
  type RegisterTaskParameters,
  type RegisterTaskReturnType,
  registerTask,
} from '../actions/registerTask.js'
export {
  type RunWorkflowParameters,
  type RunWorkflowReturnType,
  runWorkflow,
} from '../actions/runWorkflow.js'
export { type StopTaskParameters, type StopTaskReturnType, stopTask } from '../actions/stopTask.js'
export {
  type UpdateTaskParameters,
  type UpdateTaskReturnType,
  updateTask,
} from '../actions/updateTask.js'
export {
  type VerifiedOutput,
  type VerifyInferenceErrorType,
  type VerifyInferenceParameters,
  type VerifyInferenceReturnType,
  verifyInference,
} from '../actions/verifyInference.js'
export {
  type AlphaClient,
  type AlphaClientConfig,
  createAlphaClient,
} from '../client/createAlphaClient.js'
export {
  SchedulerRegistrationError,
  type SchedulerRegistrationErrorType,
  WorkflowResultError,
  type WorkflowResultErrorType,
} from '../errors/workflow.js'
export { type FormatPercentageReturnType, formatPercentage } from '../utils/formatPercentage.js'
export {
  type AbiHistoricalInputQuery,
  toAbiHistoricalInputQuery,
} from '../utils/workflowQuery.js'
export {
  type WorkflowModel,
  type WorkflowModelName,
  workflowModelNames,
  workflowModels,
} from '../workflows/workflowModels.js'
