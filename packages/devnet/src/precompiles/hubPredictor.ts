import { inferenceHubAbi, inferencePrecompileAbi } from '@opengradient/contracts'
import {
  type Address,
  type Hex,
  inferenceHubAddress,
  inferencePrecompileAddress,
} from '@opengradient/core'
import { decodeFunctionData, encodeFunctionData } from 'viem'
import type { CallPredictor } from '../front/preExecution.js'

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
    let decoded: ReturnType<typeof decodeFunctionData<typeof inferenceHubAbi>>
    try {
      decoded = decodeFunctionData({ abi: inferenceHubAbi, data: transaction.data })
    } catch {
      return undefined
    }
    if (decoded.functionName === 'run') {
      const [modelCID, mode, input] = decoded.args
      const data: Hex = encodeFunctionData({
        abi: inferencePrecompileAbi,
        functionName: 'runModelInference',
        args: [{ mode, modelCID, input }],
      })
      return [{ to: precompile, input: data }]
    }
    // runLLMCompletion / runLLMChat have the same selector and arguments on both contracts.
    return [{ to: precompile, input: transaction.data }]
  }
}
