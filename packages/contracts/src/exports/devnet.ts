// @opengradient/contracts/devnet: what a local network needs to emulate the precompiles.

export {
  consumedResultsSlot,
  decodeStandInResult,
  encodeStandInResult,
  resultAccountAddress,
  type StandInResult,
  standInResultWindow,
} from '../devnet/standInResult.js'
export {
  inferencePrecompileStandInAbi,
  inferencePrecompileStandInBytecode,
  inferencePrecompileStandInDeployedBytecode,
} from '../generated/InferencePrecompileStandIn.js'
export {
  multicall3Abi,
  multicall3Bytecode,
  multicall3DeployedBytecode,
} from '../generated/Multicall3.js'
export {
  priceHistoryPrecompileStandInAbi,
  priceHistoryPrecompileStandInBytecode,
  priceHistoryPrecompileStandInDeployedBytecode,
} from '../generated/PriceHistoryPrecompileStandIn.js'
