import { inferencePrecompileAbi } from '@opengradient/contracts'
import {
  type AbiModelInput,
  type AbiModelOutput,
  type AbiNumberTensor,
  BaseError,
  type BaseErrorType,
  defaultIpfsGatewayUrl,
  encodeFixedPointOutput,
  type FixedPointNumber,
  fetchIpfsFile,
  fixedPointToNumber,
  type Hash,
  type HttpErrorType,
  type IntegrityErrorType,
  inferencePrecompileAddress,
  NotFoundError,
  type NotFoundErrorType,
  parseInferenceMode,
  TransactionFailedError,
  type TransactionFailedErrorType,
} from '@opengradient/core'
import { parseEventLogs, TransactionReceiptNotFoundError } from 'viem'
import type { AlphaClient } from '../client/createAlphaClient.js'
import { buildFeeds, FeedError, numericElements, type OnnxRuntimeWeb } from '../utils/onnxFeeds.js'
import { fetchInferenceResult } from './fetchInferenceResult.js'

export type VerifyInferenceParameters = {
  /** The transaction whose inference is checked. */
  transactionHash: Hash
  /** Which inference of the transaction, when it ran several (in log order). @default 0 */
  index?: number | undefined
  /**
   * Fetches a model's bytes by CID, checked against it. The default downloads from the
   * chain's `ipfsGatewayUrl` (or `https://ipfs.io/ipfs/`) and recomputes the CID with
   * `computeUnixfsCid` of `@opengradient/core`; `downloadModel` of `@opengradient/hub` fits
   * too.
   */
  downloadModel?:
    | ((parameters: { cid: string; signal?: AbortSignal | undefined }) => Promise<Uint8Array>)
    | undefined
  /**
   * How far a recomputed number may be from the on-chain one:
   * `|recomputed − onChain| ≤ absolute + relative × |onChain|`.
   * @default { absolute: 1e-6, relative: 1e-5 }
   */
  tolerance?: { absolute?: number | undefined; relative?: number | undefined } | undefined
  signal?: AbortSignal | undefined
}

/** How one output tensor compares. */
export type VerifiedOutput = {
  name: string
  kind: 'number' | 'string' | 'json'
  matches: boolean
  /** The largest element difference (0 for equal strings; Infinity for a shape or kind mismatch). */
  maxAbsDifference: number
  /** Why it does not match, when it does not. */
  reason?: string | undefined
}

export type VerifyInferenceReturnType = {
  /** True when every output the chain recorded was recomputed within the tolerance. */
  verified: boolean
  /** The model the inference ran, as the request named it. */
  modelCid: string
  inferenceId: string
  /** 0 VANILLA, 1 ZKML, 2 TEE: every mode runs the same computation. */
  mode: number
  outputs: VerifiedOutput[]
}

export type VerifyInferenceErrorType =
  | NotFoundErrorType
  | TransactionFailedErrorType
  | IntegrityErrorType
  | HttpErrorType
  | BaseErrorType

const defaultTolerance = { absolute: 1e-6, relative: 1e-5 }

/**
 * Re-runs the inference of a transaction and checks the chain's answer: reads the
 * precompile's `ModelInferenceEvent` (request and response) from the receipt, downloads the
 * model by its CID (bytes checked against the CID), runs it with onnxruntime-web, feeding the
 * request's inputs exactly as the inference node converts them, and compares every output.
 *
 * Tolerance: the node encodes each output element exactly to 28 significant digits, so a
 * recomputed element that encodes to the same fixed-point pair matches exactly. The tolerance
 * absorbs what may legitimately differ: float arithmetic of another runtime (WebAssembly here,
 * native kernels on the node) within a few float32 units. An element matches when
 * `|recomputed − onChain| ≤ absolute + relative × |onChain|` (defaults `1e-6` and `1e-5`);
 * integer elements and strings must be equal, and shapes must agree. JSON outputs are not
 * tensors of the model and cannot be recomputed, so they never verify.
 *
 * Needs `onnxruntime-web` (an optional peer dependency, loaded on first use; in Node it runs
 * its WebAssembly backend, single-threaded unless `env.wasm.numThreads` was set).
 *
 * @example
 * ```ts
 * import { verifyInference } from '@opengradient/alpha'
 *
 * const { verified, outputs } = await verifyInference(client, { transactionHash })
 * for (const output of outputs) console.log(output.name, output.matches, output.maxAbsDifference)
 * ```
 */
export async function verifyInference(
  client: AlphaClient,
  parameters: VerifyInferenceParameters,
): Promise<VerifyInferenceReturnType> {
  const { transactionHash, signal } = parameters
  const index = parameters.index ?? 0
  const receipt = await client.publicClient
    .getTransactionReceipt({ hash: transactionHash })
    .catch((error: unknown) => {
      if (error instanceof TransactionReceiptNotFoundError) {
        throw new NotFoundError(`The transaction "${transactionHash}" has no receipt.`, {
          cause: error,
          details: 'It is unknown to the node, or not mined yet.',
        })
      }
      throw new BaseError(`The receipt of "${transactionHash}" could not be read.`, {
        cause: error,
      })
    })
  if (receipt.status !== 'success') {
    throw new TransactionFailedError('The transaction reverted: it has no inference to verify.', {
      transactionHash,
    })
  }
  const precompile = (
    client.chain.contracts?.inferencePrecompile?.address ?? inferencePrecompileAddress
  ).toLowerCase()
  const events = parseEventLogs({
    abi: inferencePrecompileAbi,
    eventName: 'ModelInferenceEvent',
    logs: receipt.logs.filter((log) => log.address.toLowerCase() === precompile),
  })
  const event = events[index]
  if (!event) {
    throw new NotFoundError(
      events.length === 0
        ? `The transaction "${transactionHash}" ran no model inference.`
        : `The transaction "${transactionHash}" ran ${events.length} inference(s); there is no index ${index}.`,
    )
  }
  const args = event.args as unknown as {
    inferenceID: string
    request: { mode: number; modelCID: string; input: AbiModelInput }
    response: AbiModelOutput
  }
  const { inferenceID: inferenceId, request } = args
  let response = args.response
  const empty =
    response.numbers.length === 0 && response.strings.length === 0 && response.jsons.length === 0
  if (empty && !response.is_simulation_result && client.inferenceApiUrl) {
    response = (await fetchInferenceResult({
      inferenceId,
      mode: parseInferenceMode(request.mode),
      apiUrl: client.inferenceApiUrl,
      timeoutMs: client.resultTimeoutMs,
      fetch: client.fetch,
      signal,
    })) as AbiModelOutput
  }

  const modelCid = request.modelCID
  const download =
    parameters.downloadModel ??
    ((download: { cid: string; signal?: AbortSignal | undefined }) =>
      fetchIpfsFile({
        cid: download.cid,
        gatewayUrl: client.chain.opengradient.ipfsGatewayUrl ?? defaultIpfsGatewayUrl,
        fetch: client.fetch,
        signal: download.signal,
      }))
  const modelBytes = await download({ cid: modelCid, signal })

  const ort = await loadOnnxRuntimeWeb()
  let session: Awaited<ReturnType<OnnxRuntimeWeb['InferenceSession']['create']>>
  try {
    session = await ort.InferenceSession.create(modelBytes)
  } catch (error) {
    throw new BaseError(`The model "${modelCid}" cannot be loaded by onnxruntime-web.`, {
      cause: error,
    })
  }
  try {
    let results: Record<string, import('onnxruntime-web').Tensor>
    try {
      results = await session.run(buildFeeds(ort, session, request.input))
    } catch (error) {
      throw new BaseError('The inference cannot be re-run from its on-chain request.', {
        cause: error,
        ...(error instanceof FeedError ? { details: error.shortMessage } : {}),
        metaMessages: [`Model: ${modelCid}`, `Transaction: ${transactionHash}`],
      })
    }
    const outputs = compareOutputs(response, results, {
      absolute: parameters.tolerance?.absolute ?? defaultTolerance.absolute,
      relative: parameters.tolerance?.relative ?? defaultTolerance.relative,
    })
    return {
      verified:
        !response.is_simulation_result &&
        outputs.length > 0 &&
        outputs.every((output) => output.matches),
      modelCid,
      inferenceId,
      mode: Number(request.mode),
      outputs,
    }
  } finally {
    await session.release().catch(() => {})
  }
}

let runtime: Promise<OnnxRuntimeWeb> | undefined

/** onnxruntime-web, loaded once; an optional peer dependency. */
async function loadOnnxRuntimeWeb(): Promise<OnnxRuntimeWeb> {
  runtime ??= import('onnxruntime-web').then((ort) => {
    // One thread keeps results reproducible, and Node needs no worker setup for it.
    if (!ort.env.wasm.numThreads) ort.env.wasm.numThreads = 1
    return ort
  })
  return runtime.catch((error: unknown) => {
    runtime = undefined
    throw new BaseError('verifyInference needs the onnxruntime-web package.', {
      cause: error,
      metaMessages: ['Install it: npm install onnxruntime-web'],
    })
  })
}

/** Compares every output the chain recorded with the recomputed one of the same name. */
function compareOutputs(
  response: AbiModelOutput,
  results: Record<string, import('onnxruntime-web').Tensor>,
  tolerance: { absolute: number; relative: number },
): VerifiedOutput[] {
  const outputs: VerifiedOutput[] = []
  const mismatch = (
    name: string,
    kind: VerifiedOutput['kind'],
    reason: string,
  ): VerifiedOutput => ({
    name,
    kind,
    matches: false,
    maxAbsDifference: Number.POSITIVE_INFINITY,
    reason,
  })
  for (const tensor of response.numbers) {
    const recomputed = results[tensor.name]
    if (!recomputed) {
      outputs.push(mismatch(tensor.name, 'number', 'The model has no output of this name.'))
      continue
    }
    outputs.push(compareNumbers(tensor, recomputed, tolerance))
  }
  for (const tensor of response.strings) {
    const recomputed = results[tensor.name]
    if (recomputed?.type !== 'string') {
      outputs.push(mismatch(tensor.name, 'string', 'The model has no string output of this name.'))
      continue
    }
    const values = recomputed.data as string[]
    const equal =
      values.length === tensor.values.length &&
      values.every((value, position) => value === tensor.values[position])
    outputs.push(
      equal
        ? { name: tensor.name, kind: 'string', matches: true, maxAbsDifference: 0 }
        : mismatch(tensor.name, 'string', 'The strings differ.'),
    )
  }
  for (const scalar of response.jsons) {
    outputs.push(
      mismatch(
        scalar.name,
        'json',
        'A JSON output is not a tensor of the model; it cannot be recomputed.',
      ),
    )
  }
  return outputs
}

function compareNumbers(
  tensor: AbiNumberTensor,
  recomputed: import('onnxruntime-web').Tensor,
  tolerance: { absolute: number; relative: number },
): VerifiedOutput {
  const { name } = tensor
  const elements = numericElements(recomputed)
  const shape = tensor.shape.map(Number)
  if (!elements) {
    return {
      name,
      kind: 'number',
      matches: false,
      maxAbsDifference: Number.POSITIVE_INFINITY,
      reason: `The model's output is ${recomputed.type}, not numbers.`,
    }
  }
  if (
    shape.length !== recomputed.dims.length ||
    shape.some((dimension, position) => dimension !== recomputed.dims[position]) ||
    elements.length !== tensor.values.length
  ) {
    return {
      name,
      kind: 'number',
      matches: false,
      maxAbsDifference: Number.POSITIVE_INFINITY,
      reason: `The shapes differ: [${shape.join(',')}] on chain, [${recomputed.dims.join(',')}] recomputed.`,
    }
  }
  const integer = !['float32', 'float64', 'float16'].includes(recomputed.type)
  let maxAbsDifference = 0
  let matches = true
  elements.forEach((element, position) => {
    const onChain = tensor.values[position]!
    if (sameFixedPoint(element, onChain)) return
    const onChainNumber = fixedPointToNumber(onChain)
    const difference = Math.abs(onChainNumber - Number(element))
    maxAbsDifference = Math.max(maxAbsDifference, difference)
    const allowed = tolerance.absolute + tolerance.relative * Math.abs(onChainNumber)
    if (integer || !(difference <= allowed)) matches = false
  })
  return {
    name,
    kind: 'number',
    matches,
    maxAbsDifference,
    ...(matches ? {} : { reason: 'Elements differ by more than the tolerance.' }),
  }
}

/** Whether a recomputed element encodes, as the node encodes outputs, to the on-chain pair. */
function sameFixedPoint(element: number | bigint, onChain: FixedPointNumber): boolean {
  try {
    const encoded = encodeFixedPointOutput(element)
    return encoded.value === onChain.value && encoded.decimals === onChain.decimals
  } catch {
    return false
  }
}
