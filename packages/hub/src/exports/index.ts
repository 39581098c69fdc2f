// @opengradient/hub: the OpenGradient Model Hub client (sign-in, repositories, versions,
// streamed uploads, verified downloads). Runs in browsers and Node; file paths live in `./node`.

export {
  type CreateModelErrorType,
  type CreateModelParameters,
  type CreateModelReturnType,
  createModel,
} from '../actions/createModel.js'
export {
  type CreateVersionErrorType,
  type CreateVersionParameters,
  type CreateVersionReturnType,
  createVersion,
} from '../actions/createVersion.js'
export {
  type DownloadFileErrorType,
  type DownloadFileParameters,
  type DownloadFileReturnType,
  downloadFile,
} from '../actions/downloadFile.js'
export {
  type DownloadModelErrorType,
  type DownloadModelParameters,
  type DownloadModelReturnType,
  downloadModel,
} from '../actions/downloadModel.js'
export {
  type GetModelErrorType,
  type GetModelParameters,
  type GetModelReturnType,
  getModel,
} from '../actions/getModel.js'
export {
  type HubFile,
  type ListFilesErrorType,
  type ListFilesParameters,
  type ListFilesReturnType,
  listFiles,
} from '../actions/listFiles.js'
export {
  type HubModel,
  type ListModelsErrorType,
  type ListModelsParameters,
  type ListModelsReturnType,
  listModels,
} from '../actions/listModels.js'
export {
  type LoginErrorType,
  type LoginParameters,
  type LoginReturnType,
  login,
} from '../actions/login.js'
export {
  type UploadFileErrorType,
  type UploadFileParameters,
  type UploadFileReturnType,
  uploadFile,
} from '../actions/uploadFile.js'
export {
  createHubClient,
  type HubClient,
  type HubClientConfig,
} from '../client/createHubClient.js'
export {
  type CreateHubAuthParameters,
  createHubAuth,
  type HubAuth,
  type HubSession,
  type HubTokenProvider,
} from '../client/hubAuth.js'
export { computeModelCid } from '../utils/cid.js'
export type { SignInApi } from '../utils/firebase.js'
export type { UploadProgress } from '../utils/uploadBody.js'
