// @opengradient/hub/node: the actions that read files from disk (Node only).

export {
  type CreateModelParameters,
  type CreateModelReturnType,
  createModel,
} from '../node/createModel.js'
export {
  type UploadFileParameters,
  type UploadFileReturnType,
  uploadFile,
} from '../node/uploadFile.js'
