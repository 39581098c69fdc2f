import {
  decodeModelOutputData,
  findEventLog,
  findPrecompileLogBefore,
  inferenceHubAbi,
  inferencePrecompileAbi,
  writeTransaction,
} from '@opengradient/contracts'
import {
  type AbiModelOutput,
  decodeModelOutput,
  encodeModelInput,
  type InferenceMode,
  type InferenceModeName,
  type InferenceResult,
  type ModelInput,
  parseInferenceMode,
  TransactionFailedError,
} from '@opengradient/core'
import { encodeFunctionData } from 'viem'
import type { AlphaClient } from '../client/createAlphaClient.js'
import { fetchInferenceResult } from './fetchInferenceResult.js'

export type InferParameters = {
  /** Model id: an IPFS CID (`Qm…`), a blob id, or a name; never validated as `Qm…` only. */
  model: string
  /** `VANILLA` (0), `ZKML` (1) or `TEE` (2), as a number or a name. */
  mode: InferenceMode | InferenceModeName | number
  /** The model's input by tensor name; see `encodeModelInput` for what values may be. */
  input: ModelInput
  /**
   * Total send attempts when the node rejects the transaction for its nonce. Must be at
   * least 1 (the reference silently returned nothing for 0).
   * @default 5
   */
  maxRetries?: number | undefined
  /** Gas limit; skips the estimate. */
  gas?: bigint | undefined
  /** Called with warnings about the input (e.g. a multi-dimensional string tensor). */
  onWarning?: ((message: string) => void) | undefined
  signal?: AbortSignal | undefined
}

export type InferReturnType = InferenceResult

/**
 * Runs an ONNX model on chain: sends `run(model, mode, input)` to the inference hub, waits for
 * the receipt and decodes the hub's `InferenceResult` event (found by address and topic). When
 * the event carries an empty output, the result comes from the node REST API by the
 * precompile event's inference id.
 *
 * Covers the reference's `og.infer` (0.4.6) and `Alpha.infer` (0.6+). Differences: the hash is
 * `0x`-prefixed, the simulation flag and exact fixed-point values are kept, and reverts are
 * typed errors with the reason.
 *
 * @example
 * ```ts
 * import { infer } from '@opengradient/alpha'
 *
 * const { transactionHash, modelOutput } = await infer(client, {
 *   model: 'QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ',
 *   mode: 'VANILLA',
 *   input: { num_input1: [1, 2, 3], num_input2: 10, str_input1: ['hello', 'ONNXY'], str_input2: ' world' },
 * })
 * modelOutput.numbers.num_output1?.data // [11, 12, 13]
 * ```
 */
export async function infer(
  client: AlphaClient,
  parameters: InferParameters,
): Promise<InferReturnType> {
  const mode = parseInferenceMode(parameters.mode)
  const modelInput = encodeModelInput(parameters.input, { onWarning: parameters.onWarning })
  const data = encodeFunctionData({
    abi: inferenceHubAbi,
    functionName: 'run',
    args: [parameters.model, mode, modelInput as never],
  })
  const { transactionHash, receipt } = await writeTransaction(client, {
    to: client.inferenceHubAddress,
    data,
    gas: parameters.gas,
    maxRetries: parameters.maxRetries,
    signal: parameters.signal,
    functionName: 'run',
  })

  const result = findEventLog({
    logs: receipt.logs,
    abi: inferenceHubAbi,
    eventName: 'InferenceResult',
    address: client.inferenceHubAddress,
    decodeData: (data) => ({ output: decodeModelOutputData(data) }),
  })
  if (!result) {
    throw new TransactionFailedError(
      'The receipt has no InferenceResult event of the inference hub.',
      {
        transactionHash,
      },
    )
  }
  const precompileLog = findPrecompileLogBefore({
    logs: receipt.logs,
    abi: inferencePrecompileAbi,
    eventName: 'ModelInferenceEvent',
    before: result.index,
    firstStringOnly: true,
  })
  const inferenceId = precompileLog?.args.inferenceID as string | undefined
  let output = result.args.output as AbiModelOutput

  const empty =
    output.numbers.length === 0 && output.strings.length === 0 && output.jsons.length === 0
  if (empty && !output.is_simulation_result) {
    if (!inferenceId || !client.inferenceApiUrl) {
      throw new TransactionFailedError(
        'The inference output is empty and cannot be fetched from the node REST API.',
        {
          transactionHash,
          metaMessages: [
            inferenceId
              ? 'No inferenceApiUrl is configured.'
              : 'The receipt has no ModelInferenceEvent.',
          ],
        },
      )
    }
    output = (await fetchInferenceResult({
      inferenceId,
      mode,
      apiUrl: client.inferenceApiUrl,
      timeoutMs: client.resultTimeoutMs,
      fetch: client.fetch,
      signal: parameters.signal,
    })) as AbiModelOutput
  }
  return { transactionHash, inferenceId, modelOutput: decodeModelOutput(output) }
}
