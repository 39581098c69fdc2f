// @opengradient/llm/image: image generation (image-output chat models, and the legacy gRPC service).

export { ImageGenerationError, type ImageGenerationErrorType } from '../image/errors.js'
export {
  type GenerateImageErrorType,
  type GenerateImageParameters,
  type GenerateImageReturnType,
  generateImage,
  type ImageTransport,
} from '../image/generateImage.js'
export { defaultImageGenerationHost } from '../image/grpcTransport.js'
export { decodeDataUri, sniffImageMediaType } from '../image/media.js'
export {
  decodeInferenceRequest,
  decodeInferenceResult,
  decodeInferenceStatus,
  decodeInferenceTxId,
  encodeInferenceRequest,
  encodeInferenceResult,
  encodeInferenceStatus,
  encodeInferenceTxId,
  type InferenceRequest,
  type InferenceResult,
  type InferenceStatus,
  InferenceStatusCode,
  type InferenceTxId,
  inferenceServiceDefinition,
  inferenceServicePaths,
} from '../image/protocol.js'
