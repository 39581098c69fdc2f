import { inferenceHubAbi, inferencePrecompileAbi } from '@opengradient/contracts'
import {
  type Address,
  type Hex,
  inferenceHubAddress,
  inferencePrecompileAddress,
} from '@opengradient/core'
import {
  concatHex,
  decodeAbiParameters,
  decodeFunctionData,
  encodeAbiParameters,
  getAbiItem,
  toFunctionSelector,
} from 'viem'
import type { CallPredictor } from '../front/preExecution.js'

// Every send of `run` passes through here: the selectors and parameter lists are looked up once,
// so decoding and re-encoding costs no selector hashing per transaction.
const runItem = getAbiItem({ abi: inferenceHubAbi, name: 'run' })
const runSelector = toFunctionSelector(runItem)
const runModelInferenceItem = getAbiItem({
  abi: inferencePrecompileAbi,
  name: 'runModelInference',
})
const runModelInferenceSelector = toFunctionSelector(runModelInferenceItem)

/**
 * Predicts the `0xF4` call of a direct call to the inference hub: the hub's code is ours and
 * makes exactly one call, built from its arguments (`run` wraps them in a request; the LLM
 * functions forward their calldata unchanged). Any other transaction is traced.
 *
 * @example
 * ```ts
 * const predict = createHubPredictor()
 * predict({ from, to: inferenceHubAddress, data }) // [{ to: '0x…F4', input: '0x7289e9c2…' }]
 * ```
 */
export function createHubPredictor(
  parameters: { hubAddress?: Address | undefined; precompileAddress?: Address | undefined } = {},
): CallPredictor {
  const hub = (parameters.hubAddress ?? inferenceHubAddress).toLowerCase()
  const precompile = parameters.precompileAddress ?? inferencePrecompileAddress
  return (transaction) => {
    if (transaction.to?.toLowerCase() !== hub || !transaction.data) return undefined
    if (transaction.value && BigInt(transaction.value) !== 0n) return undefined
    if (transaction.data.slice(0, 10).toLowerCase() === runSelector) {
      let modelCID: string
      let mode: number
      let input: unknown
      try {
        ;[modelCID, mode, input] = decodeAbiParameters(
          runItem.inputs,
          `0x${transaction.data.slice(10)}`,
        )
      } catch {
        return undefined
      }
      const data: Hex = concatHex([
        runModelInferenceSelector,
        encodeAbiParameters(runModelInferenceItem.inputs, [
          { mode, modelCID, input: input as never },
        ]),
      ])
      return [{ to: precompile, input: data }]
    }
    try {
      decodeFunctionData({ abi: inferenceHubAbi, data: transaction.data })
    } catch {
      return undefined
    }
    // runLLMCompletion / runLLMChat have the same selector and arguments on both contracts.
    return [{ to: precompile, input: transaction.data }]
  }
}
