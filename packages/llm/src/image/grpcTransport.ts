// The legacy image service over plaintext gRPC: submit, poll with backoff, fetch the result.
import { randomUUID } from 'node:crypto'
import type * as Grpc from '@grpc/grpc-js'
import { BaseError, InvalidResponseError, TimeoutError } from '@opengradient/core'
import { ImageGenerationError } from './errors.js'
import { sniffImageMediaType } from './media.js'
import { InferenceStatusCode, inferenceServiceDefinition } from './protocol.js'

/** Default address of the legacy image service (plaintext gRPC). */
export const defaultImageGenerationHost = '18.217.25.69:5125'

export type GrpcImageRequest = {
  model: string
  prompt: string
  width: number
  height: number
  host: string
  timeoutMs: number
  attemptTimeoutMs: number
  pollIntervalMs: number
  maxRetries: number
  signal: AbortSignal | undefined
}

type GrpcModule = typeof Grpc

let grpcModule: Promise<GrpcModule> | undefined

// Loaded on first use so that users of the rest of the package need not install it.
function loadGrpc(): Promise<GrpcModule> {
  grpcModule ??= import('@grpc/grpc-js').then(
    (module) => ((module as { default?: GrpcModule }).default ?? module) as GrpcModule,
    (error: unknown) => {
      grpcModule = undefined
      throw new BaseError('The gRPC image transport needs the "@grpc/grpc-js" package.', {
        cause: error,
        metaMessages: ['Install it beside @opengradient/llm: npm i @grpc/grpc-js'],
      })
    },
  )
  return grpcModule
}

const submitCallMs = 30_000
const statusCallMs = 5_000
const resultCallMs = 30_000
const maxBackoffMs = 30_000

// Codes worth another try: the service was unreachable, overloaded or slow.
const transientCodes = new Set([2, 4, 8, 10, 13, 14])

class AttemptTimeout extends Error {}

function isGrpcError(error: unknown): error is Grpc.ServiceError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'number'
}

function backoff(pollIntervalMs: number, step: number): number {
  return Math.min(pollIntervalMs * 2 ** step, maxBackoffMs)
}

function sleep(ms: number, until: number, signal: AbortSignal | undefined): Promise<void> {
  const wait = Math.max(0, Math.min(ms, until - Date.now()))
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, wait)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

function unary<Request, Response>(
  grpc: GrpcModule,
  client: Grpc.Client,
  method: {
    path: string
    requestSerialize(value: Request): Buffer
    responseDeserialize(bytes: Buffer): Response
  },
  request: Request,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => call.cancel()
    const call = client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      new grpc.Metadata(),
      { deadline: new Date(deadline) },
      (error, response) => {
        signal?.removeEventListener('abort', onAbort)
        if (signal?.aborted) reject(signal.reason)
        else if (error || response === undefined) reject(error)
        else resolve(response)
      },
    )
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Runs one image generation against the gRPC service, with retries and deadlines. */
export async function generateImageOverGrpc(
  request: GrpcImageRequest,
): Promise<{ image: Uint8Array; mediaType: string }> {
  const { model, signal } = request
  signal?.throwIfAborted()
  const grpc = await loadGrpc()
  const overallDeadline = Date.now() + request.timeoutMs
  let lastError: unknown
  for (let attempt = 0; attempt < request.maxRetries; attempt++) {
    if (attempt > 0) await sleep(backoff(request.pollIntervalMs, attempt), overallDeadline, signal)
    if (Date.now() >= overallDeadline) break
    // Every attempt gets its own clock, bounded by the overall one.
    const attemptDeadline = Math.min(overallDeadline, Date.now() + request.attemptTimeoutMs)
    const client = new grpc.Client(request.host, grpc.credentials.createInsecure())
    try {
      return await runAttempt(grpc, client, request, attemptDeadline)
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      if (isGrpcError(error) && !transientCodes.has(error.code))
        throw new ImageGenerationError(
          `The image service refused the request for model "${model}".`,
          { model, grpcCode: error.code, details: error.details, cause: error },
        )
      if (!(error instanceof AttemptTimeout) && !isGrpcError(error)) throw error
      lastError = error
    } finally {
      client.close()
    }
  }
  if (Date.now() >= overallDeadline)
    throw new TimeoutError(
      `Image generation with model "${model}" did not finish within ${request.timeoutMs} ms.`,
      {
        timeoutMs: request.timeoutMs,
        ...(isGrpcError(lastError) ? { cause: lastError } : {}),
        metaMessages: [`Host: ${request.host}`],
      },
    )
  throw new ImageGenerationError(
    `Image generation with model "${model}" failed after ${request.maxRetries} attempts.`,
    {
      model,
      ...(isGrpcError(lastError)
        ? { grpcCode: lastError.code, details: lastError.details, cause: lastError }
        : { details: `An attempt did not finish within ${request.attemptTimeoutMs} ms.` }),
      metaMessages: [`Host: ${request.host}`],
    },
  )
}

async function runAttempt(
  grpc: GrpcModule,
  client: Grpc.Client,
  request: GrpcImageRequest,
  attemptDeadline: number,
): Promise<{ image: Uint8Array; mediaType: string }> {
  const { model, signal } = request
  const callDeadline = (capMs: number) => Math.min(attemptDeadline, Date.now() + capMs)
  const { id } = await unary(
    grpc,
    client,
    inferenceServiceDefinition.RunInferenceAsync,
    {
      tx: randomUUID(),
      imageGeneration: {
        model,
        prompt: request.prompt,
        width: request.width,
        height: request.height,
      },
    },
    callDeadline(submitCallMs),
    signal,
  )
  for (let step = 0; ; ) {
    if (Date.now() >= attemptDeadline) throw new AttemptTimeout()
    let status: { status: number; errorMessage?: string | undefined }
    try {
      status = await unary(
        grpc,
        client,
        inferenceServiceDefinition.GetInferenceStatus,
        { id },
        callDeadline(statusCallMs),
        signal,
      )
    } catch (error) {
      if (!isGrpcError(error) || !transientCodes.has(error.code)) throw error
      await sleep(backoff(request.pollIntervalMs, step++), attemptDeadline, signal)
      continue
    }
    if (status.status === InferenceStatusCode.completed) break
    if (status.status === InferenceStatusCode.error)
      throw new ImageGenerationError(`The image service could not generate an image.`, {
        model,
        serverMessage: status.errorMessage ?? 'The server gave no reason.',
        metaMessages: [`Request id: ${id}`],
      })
    if (status.status !== InferenceStatusCode.inProgress)
      throw new InvalidResponseError(
        `The image service answered with an unknown status ${status.status}.`,
        { body: status, metaMessages: [`Request id: ${id}`] },
      )
    await sleep(backoff(request.pollIntervalMs, step++), attemptDeadline, signal)
  }
  const result = await unary(
    grpc,
    client,
    inferenceServiceDefinition.GetInferenceResult,
    { id },
    callDeadline(resultCallMs),
    signal,
  )
  if (result.imageData.length === 0)
    throw new InvalidResponseError('The image service returned no image data.', {
      body: result,
      metaMessages: [`Request id: ${id}`],
    })
  return {
    image: result.imageData,
    mediaType: sniffImageMediaType(result.imageData) ?? 'application/octet-stream',
  }
}
