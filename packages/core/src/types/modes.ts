import { InvalidInputError } from '../errors/input.js'

/**
 * How the network runs an ONNX model: plainly, with a zero-knowledge proof, or in a TEE.
 * The numbers are the ones the chain reads (`ModelInferenceMode` in Solidity).
 *
 * The official TypeScript SDK 1.0.2 had `ZKML` and `TEE` swapped; these values are the chain's.
 *
 * @example
 * ```ts
 * await infer(client, { model, mode: InferenceMode.VANILLA, input })
 * ```
 */
export const InferenceMode = { VANILLA: 0, ZKML: 1, TEE: 2 } as const
/** One of {@link InferenceMode}'s values. */
export type InferenceMode = (typeof InferenceMode)[keyof typeof InferenceMode]
/** The name of an {@link InferenceMode}. */
export type InferenceModeName = keyof typeof InferenceMode

/**
 * How the network runs an on-chain LLM request (`LLMInferenceMode` in Solidity).
 *
 * @example
 * ```ts
 * await runLlmCompletionOnChain(client, { model, prompt, mode: LlmInferenceMode.TEE })
 * ```
 */
export const LlmInferenceMode = { VANILLA: 0, TEE: 1 } as const
/** One of {@link LlmInferenceMode}'s values. */
export type LlmInferenceMode = (typeof LlmInferenceMode)[keyof typeof LlmInferenceMode]
/** The name of an {@link LlmInferenceMode}. */
export type LlmInferenceModeName = keyof typeof LlmInferenceMode

/**
 * Accepts a mode as its number or its name (any case) and returns the number.
 * Both the seed-era integers and the later enum names are valid input.
 *
 * @example
 * ```ts
 * parseInferenceMode('tee') // 2
 * parseInferenceMode(0) // 0
 * ```
 */
export function parseInferenceMode(
  mode: InferenceMode | InferenceModeName | Lowercase<InferenceModeName> | number | string,
): InferenceMode {
  return parseMode(InferenceMode, mode, 'inference mode')
}

/**
 * Accepts an on-chain LLM mode as its number or name and returns the number.
 *
 * @example
 * ```ts
 * parseLlmInferenceMode('TEE') // 1
 * ```
 */
export function parseLlmInferenceMode(
  mode: LlmInferenceMode | LlmInferenceModeName | number | string,
): LlmInferenceMode {
  return parseMode(LlmInferenceMode, mode, 'LLM inference mode')
}

function parseMode<T extends Record<string, number>>(
  table: T,
  mode: number | string,
  label: string,
): T[keyof T] {
  if (typeof mode === 'number') {
    if (Object.values(table).includes(mode)) return mode as T[keyof T]
  } else {
    const key = mode.toUpperCase() === 'ZK' ? 'ZKML' : mode.toUpperCase()
    if (key in table) return table[key] as T[keyof T]
  }
  throw new InvalidInputError(`"${String(mode)}" is not a valid ${label}.`, {
    metaMessages: [
      `Use one of: ${Object.entries(table)
        .map(([k, v]) => `${k} (${v})`)
        .join(', ')}.`,
    ],
  })
}
