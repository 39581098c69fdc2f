import { BaseError, type BaseErrorParameters } from '@opengradient/core'

/** Type of {@link InferenceFailedError} for `catch` clauses and `ErrorType` unions. */
export type InferenceFailedErrorType = InferenceFailedError & { name: 'InferenceFailedError' }

/** Parameters of {@link InferenceFailedError}. */
export type InferenceFailedErrorParameters = BaseErrorParameters & {
  /** The model the inference was for. */
  modelId?: string | undefined
}

// Revert reasons end up in receipts and `eth_call` answers; long runtime dumps stay in `details`.
const maxReasonLength = 256

/**
 * An inference could not be run: unknown model, missing or malformed input, unsupported tensor
 * type, or a failure inside the ONNX runtime. `reason` is short and stable, in the inference
 * node's wording (`Input not found: num_input2`), so the chain can revert with it.
 *
 * @example
 * ```ts
 * try {
 *   await engine.runModelInference({ mode: 0, modelId, input })
 * } catch (error) {
 *   if (error instanceof InferenceFailedError) revertWith(error.reason)
 * }
 * ```
 */
export class InferenceFailedError extends BaseError {
  override name = 'InferenceFailedError' as const
  /** Short reason, suitable as a Solidity `Error(string)` revert reason. */
  readonly reason: string
  /** The model the inference was for, when known. */
  readonly modelId: string | undefined

  constructor(reason: string, parameters: InferenceFailedErrorParameters = {}) {
    const { modelId, ...rest } = parameters
    const shortReason =
      reason.length > maxReasonLength ? `${reason.slice(0, maxReasonLength - 1)}…` : reason
    super(`The inference failed: ${shortReason}.`, {
      ...rest,
      metaMessages: [
        ...(modelId !== undefined ? [`Model: "${modelId}"`] : []),
        ...(rest.metaMessages ?? []),
      ],
    })
    this.reason = shortReason
    this.modelId = modelId
  }
}
