// @opengradient/core: types, errors, the fixed-point tensor codec and network definitions.

export {
  devnetOpgTokenAddress,
  gatewayPayToAddress,
  inferenceHubAddress,
  inferencePrecompileAddress,
  legacyTaskSchedulerAddress,
  legacyTeeRegistryAddress,
  opgTokenBaseAddress,
  opgTokenBaseSepoliaAddress,
  permit2Address,
  priceHistoryPrecompileAddress,
  taskSchedulerAddress,
  teeRegistryAddress,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyAddress,
} from '../chains/addresses.js'
export {
  alphaTestnet,
  base,
  baseSepolia,
  defineDevnet,
  devnet,
  devnetDefaultPort,
  type NetworkName,
  networks,
  type OpenGradientChain,
  type OpenGradientNetworkConfig,
  ogTestnet,
} from '../chains/definitions.js'
export { historicalUrls } from '../chains/urls.js'
export {
  type DecodeModelOutputErrorType,
  type DecodeModelOutputParameters,
  type DecodeModelOutputReturnType,
  decodeModelOutput,
  type IntegerLike,
  type RawFixedPointNumber,
  type RawJsonScalar,
  type RawNumberTensor,
  type RawStringTensor,
} from '../codec/decodeModelOutput.js'
export {
  type EncodeFixedPointErrorType,
  type EncodeFixedPointParameters,
  type EncodeFixedPointReturnType,
  encodeFixedPoint,
} from '../codec/encodeFixedPoint.js'
export {
  type EncodeFixedPointOutputErrorType,
  type EncodeFixedPointOutputReturnType,
  encodeFixedPointOutput,
} from '../codec/encodeFixedPointOutput.js'
export {
  type EncodeModelInputErrorType,
  type EncodeModelInputParameters,
  type EncodeModelInputReturnType,
  encodeModelInput,
} from '../codec/encodeModelInput.js'
export {
  type FixedPointToDecimalStringReturnType,
  fixedPointToDecimalString,
} from '../codec/fixedPointToDecimalString.js'
export {
  type FixedPointToNumberReturnType,
  fixedPointToNumber,
} from '../codec/fixedPointToNumber.js'
export {
  type FixedPointToRatioErrorType,
  type FixedPointToRatioReturnType,
  fixedPointToRatio,
} from '../codec/fixedPointToRatio.js'
export {
  type FlattenTensorErrorType,
  type FlattenTensorParameters,
  type FlattenTensorReturnType,
  flattenTensor,
} from '../codec/flattenTensor.js'
export { type ModelOutputJson, modelOutputToJson } from '../codec/modelOutputToJson.js'
export {
  type ParseModelInputJsonErrorType,
  type ParseModelInputJsonReturnType,
  parseJsonLosslessly,
  parseModelInputJson,
} from '../codec/parseModelInputJson.js'
export {
  type ReshapeTensorErrorType,
  type ReshapeTensorParameters,
  type ReshapeTensorReturnType,
  reshapeTensor,
} from '../codec/reshapeTensor.js'
export { type ToFloat32ReturnType, toFloat32 } from '../codec/toFloat32.js'
export {
  BaseError,
  type BaseErrorParameters,
  type BaseErrorType,
  redactSecrets,
} from '../errors/base.js'
export {
  ContractCallFailedError,
  type ContractCallFailedErrorType,
  TransactionFailedError,
  type TransactionFailedErrorType,
} from '../errors/chain.js'
export {
  ConnectionError,
  type ConnectionErrorReason,
  type ConnectionErrorType,
} from '../errors/connection.js'
export {
  AuthError,
  type AuthErrorType,
  HttpError,
  type HttpErrorType,
  NotFoundError,
  type NotFoundErrorType,
  PaymentError,
  type PaymentErrorReason,
  type PaymentErrorType,
  stripUrlCredentials,
} from '../errors/http.js'
export {
  InvalidInputError,
  type InvalidInputErrorType,
  type InvalidInputLocation,
} from '../errors/input.js'
export { IntegrityError, type IntegrityErrorType } from '../errors/integrity.js'
export {
  InvalidResponseError,
  type InvalidResponseErrorType,
  StreamError,
  type StreamErrorType,
  TeeVerificationError,
  type TeeVerificationErrorReason,
  type TeeVerificationErrorType,
} from '../errors/llm.js'
export {
  NoActiveTeeError,
  type NoActiveTeeErrorType,
  TeeRegistryError,
  type TeeRegistryErrorType,
} from '../errors/tee.js'
export { TimeoutError, type TimeoutErrorType } from '../errors/timeout.js'
export {
  type ComputeUnixfsCidParameters,
  type ComputeUnixfsCidReturnType,
  computeUnixfsCid,
} from '../ipfs/computeUnixfsCid.js'
export {
  defaultIpfsGatewayUrl,
  type FetchIpfsFileErrorType,
  type FetchIpfsFileParameters,
  type FetchIpfsFileReturnType,
  fetchIpfsFile,
  ipfsGatewayFileUrl,
  isCidV0,
} from '../ipfs/fetchIpfsFile.js'
export {
  type ChatOutputMessage,
  imageOutputModels,
  type KnownLlmId,
  type KnownTeeLlmId,
  LLM,
  type LlmId,
  type PaymentDetails,
  type SettlementMetadata,
  TEE_LLM,
  TEE_LLM_ONCHAIN,
  type TeeLlmId,
  type TeeMetadata,
  type TextGenerationOutput,
  type TokenUsage,
  type ToolCall,
} from '../types/llm.js'
export {
  InferenceMode,
  type InferenceModeName,
  LlmInferenceMode,
  type LlmInferenceModeName,
  parseInferenceMode,
  parseLlmInferenceMode,
} from '../types/modes.js'
export type { Address, Hash, Hex } from '../types/primitives.js'
export type {
  AbiJsonScalar,
  AbiModelInput,
  AbiModelOutput,
  AbiNumberTensor,
  AbiStringTensor,
  FixedPointNumber,
  InferenceResult,
  ModelInput,
  ModelInputEntries,
  ModelInputValue,
  ModelOutput,
  NestedArray,
  NumberTensor,
  NumberTensorInput,
  NumericElement,
  NumericTypedArray,
  StringTensor,
  StringTensorInput,
} from '../types/tensors.js'
export {
  CandleOrder,
  CandleType,
  type HistoricalInputQuery,
  type SchedulerParams,
} from '../types/workflows.js'
export { version } from '../version.js'
