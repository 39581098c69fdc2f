import {
  type AbiModelOutput,
  BaseError,
  HttpError,
  type InferenceMode,
  InvalidInputError,
  parseJsonLosslessly,
  TimeoutError,
} from '@opengradient/core'

export type FetchInferenceResultParameters = {
  /** The `inferenceID` of the precompile's event. */
  inferenceId: string
  /** The mode the inference ran in: it decides where the output sits in the answer. */
  mode: InferenceMode
  /** Base URL of the node REST API. */
  apiUrl: string
  /** How long to keep asking while the node has no result yet. @default 30_000 */
  timeoutMs?: number | undefined
  /** Delay between polls. @default 1_000 */
  pollIntervalMs?: number | undefined
  fetch?: typeof globalThis.fetch | undefined
  signal?: AbortSignal | undefined
}

/** The raw `model_output` JSON of the node REST API (values may be numbers or strings). */
export type RestModelOutput = AbiModelOutput | Record<string, unknown>

/**
 * Encodes an inference id for a URL path the way the reference does: every reserved character
 * escaped, including `/` and the `!'()*` that `encodeURIComponent` leaves alone.
 *
 * @example
 * ```ts
 * encodeInferenceId('a/b(1)') // 'a%2Fb%281%29'
 * ```
 */
export function encodeInferenceId(inferenceId: string): string {
  return encodeURIComponent(inferenceId).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/**
 * Fetches an inference's output from the node REST API by its id
 * (`GET /artela-network/artela-rollkit/inference/tx/{id}`): the fallback when a receipt's
 * output is empty. It polls while the node has no result yet (the reference returned `None`
 * and crashed) and gives a typed error for each missing key.
 *
 * @example
 * ```ts
 * const output = await fetchInferenceResult({ inferenceId, mode: InferenceMode.VANILLA, apiUrl: 'http://127.0.0.1:8545' })
 * ```
 */
export async function fetchInferenceResult(
  parameters: FetchInferenceResultParameters,
): Promise<RestModelOutput> {
  const {
    inferenceId,
    mode,
    apiUrl,
    timeoutMs = 30_000,
    pollIntervalMs = 1_000,
    signal,
  } = parameters
  const fetchFn = parameters.fetch ?? globalThis.fetch
  const url = `${apiUrl.replace(/\/+$/, '')}/artela-network/artela-rollkit/inference/tx/${encodeInferenceId(inferenceId)}`
  const deadline = Date.now() + timeoutMs
  for (;;) {
    signal?.throwIfAborted()
    let response: Response
    try {
      response = await fetchFn(url, { signal: signal ?? AbortSignal.timeout(30_000) })
    } catch (error) {
      throw new HttpError('The inference result request failed.', { url, cause: error })
    }
    if (response.status !== 200) {
      throw new HttpError(`Failed to get inference result: HTTP ${response.status}.`, {
        url,
        status: response.status,
        body: await response.text().catch(() => undefined),
      })
    }
    const body = (await response.json()) as { inference_results?: unknown[] }
    const first = body.inference_results?.[0]
    if (typeof first === 'string') return selectModelOutput(decodeResult(first), mode)
    if (Date.now() + pollIntervalMs > deadline) {
      throw new TimeoutError(`The node has no result for inference "${inferenceId}" yet.`, {
        timeoutMs,
        metaMessages: [`URL: ${url}`],
      })
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs))
  }
}

function decodeResult(base64: string): unknown {
  try {
    // Big integers may come as JSON numbers: keep their digits.
    return parseJsonLosslessly(Buffer.from(base64, 'base64').toString('utf8'))
  } catch (error) {
    throw new BaseError('The inference result is not base64-encoded JSON.', { cause: error })
  }
}

function selectModelOutput(result: unknown, mode: InferenceMode): RestModelOutput {
  const root = (result as { InferenceResult?: Record<string, unknown> | null })?.InferenceResult
  if (!root) throw missing('Missing InferenceResult in inference output')
  const path: [string, string][] =
    mode === 0
      ? [
          ['VanillaResult', 'Missing VanillaResult in inference output'],
          ['model_output', 'Missing model_output in VanillaResult'],
        ]
      : mode === 1
        ? [
            ['ZkmlResult', 'Missing ZkmlResult in inference output'],
            ['model_output', 'Missing model_output in ZkmlResult'],
          ]
        : [
            ['TeeNodeResult', 'Missing TeeNodeResult in inference output'],
            ['Response', 'Missing Response in TeeNodeResult'],
            ['VanillaResponse', 'Missing VanillaResponse in TeeNodeResult Response'],
            ['model_output', 'Missing model_output in VanillaResponse'],
          ]
  let node: unknown = root
  for (const [key, message] of path) {
    node = (node as Record<string, unknown>)[key]
    if (node === undefined || node === null) throw missing(message)
  }
  return node as RestModelOutput
}

function missing(message: string): InvalidInputError {
  return new InvalidInputError(`${message}.`, {
    metaMessages: ['The node REST API answered with an unexpected shape.'],
  })
}
