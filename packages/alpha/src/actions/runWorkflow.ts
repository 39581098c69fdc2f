import {
  findEventLog,
  findPrecompileLogBefore,
  priceHistoryInferenceAbi,
  priceHistoryPrecompileAbi,
  toCallError,
  writeTransaction,
} from '@opengradient/contracts'
import {
  type AbiModelOutput,
  type Address,
  decodeModelOutput,
  type InferenceResult,
  priceHistoryPrecompileAddress,
} from '@opengradient/core'
import { encodeFunctionData } from 'viem'
import type { AlphaClient } from '../client/createAlphaClient.js'

export type RunWorkflowParameters = {
  /** The workflow contract. */
  address: Address
  /**
   * Gas limit; skips the estimate. The reference sent a fixed 30,000,000.
   * @default the estimate times the client's `gasMultiplier`, at least `minimumGas`
   */
  gas?: bigint | undefined
  /**
   * Floor of the estimated gas limit. The estimate runs in simulation, where the price-history
   * precompile answers an empty output, so it misses the cost of storing the real one.
   * @default 2_000_000n
   */
  minimumGas?: bigint | undefined
  signal?: AbortSignal | undefined
}

export type RunWorkflowReturnType = InferenceResult

/**
 * Runs a workflow now: sends `run()`, then decodes the output from this transaction's
 * `InferenceResultEmitted` event (matched by the workflow's address and the event topic), and
 * the inference id from the price-history precompile's event before it. If the event is missing,
 * the result is read with `getInferenceResult()` at the transaction's block.
 *
 * Covers the reference's `run_workflow`, which read the view after mining (a race with other
 * callers) and sent a blind 30 M gas.
 *
 * @example
 * ```ts
 * import { runWorkflow } from '@opengradient/alpha'
 *
 * const { transactionHash, modelOutput } = await runWorkflow(client, { address: workflow })
 * modelOutput.numbers.Y?.data // [0.0021…]
 * ```
 */
export async function runWorkflow(
  client: AlphaClient,
  parameters: RunWorkflowParameters,
): Promise<RunWorkflowReturnType> {
  const { address } = parameters
  const data = encodeFunctionData({ abi: priceHistoryInferenceAbi, functionName: 'run' })
  let gas = parameters.gas
  if (gas === undefined) {
    const from = typeof client.account === 'string' ? client.account : client.account.address
    let estimate: bigint
    try {
      estimate = await client.publicClient.estimateGas({ account: from, to: address, data })
    } catch (error) {
      throw toCallError(error, { contractAddress: address, functionName: 'run' })
    }
    const scaled = (estimate * BigInt(Math.round(client.gasMultiplier * 1000))) / 1000n
    const minimum = parameters.minimumGas ?? 2_000_000n
    gas = scaled > minimum ? scaled : minimum
  }
  const { transactionHash, receipt } = await writeTransaction(client, {
    to: address,
    data,
    gas,
    signal: parameters.signal,
    functionName: 'run',
  })

  const emitted = findEventLog({
    logs: receipt.logs,
    abi: priceHistoryInferenceAbi,
    eventName: 'InferenceResultEmitted',
    address,
  })
  const precompileLog = findPrecompileLogBefore({
    logs: receipt.logs,
    abi: priceHistoryPrecompileAbi,
    eventName: 'HistoricalInferenceEvent',
    address: priceHistoryPrecompileAddress,
    before: emitted?.index ?? receipt.logs.length,
    firstStringOnly: true,
  })
  let output = emitted?.args.result as AbiModelOutput | undefined
  if (!output) {
    try {
      output = (await client.publicClient.readContract({
        address,
        abi: priceHistoryInferenceAbi,
        functionName: 'getInferenceResult',
        blockNumber: receipt.blockNumber,
      })) as AbiModelOutput
    } catch (error) {
      throw toCallError(error, { contractAddress: address, functionName: 'getInferenceResult' })
    }
  }
  return {
    transactionHash,
    inferenceId: precompileLog?.args.inferenceID as string | undefined,
    modelOutput: decodeModelOutput(output),
  }
}
