import { InvalidInputError, imageOutputModels } from '@opengradient/core'
import { generateImageOverChat } from './chatTransport.js'
import type { ImageGenerationErrorType } from './errors.js'
import { defaultImageGenerationHost, generateImageOverGrpc } from './grpcTransport.js'

/** How the image is asked for. */
export type ImageTransport = 'grpc' | 'chat'

export type GenerateImageParameters = {
  /** Model id, e.g. `stabilityai/stable-diffusion-xl-base-1.0`, `openai/gpt-image-2`, `devnet/image`. */
  model: string
  /** What to draw. */
  prompt: string
  /** Width in pixels. @default 1024 */
  width?: number | undefined
  /** Height in pixels. @default 1024 */
  height?: number | undefined
  /** Cancels the generation: in-flight calls are cancelled and the channel closed. */
  signal?: AbortSignal | undefined
  /**
   * `grpc`: the legacy image service (deprecated; Node only). `chat`: a chat completion to an
   * image-output model.
   * @default `chat` for the models of `imageOutputModels`, else `grpc`
   */
  transport?: ImageTransport | undefined
  /** `host:port` of the gRPC image service (plaintext). @default '18.217.25.69:5125' */
  host?: string | undefined
  /** The whole generation's time limit, retries included. @default 300_000 */
  timeoutMs?: number | undefined
  /**
   * gRPC: the time limit of one attempt (submit, poll, fetch); an attempt that runs out is
   * retried while `timeoutMs` allows. @default 120_000
   */
  attemptTimeoutMs?: number | undefined
  /** gRPC: first delay between status polls, doubled each poll up to 30 s. @default 100 */
  pollIntervalMs?: number | undefined
  /** gRPC: attempts before giving up on transient failures. @default 3 */
  maxRetries?: number | undefined
  /** Chat: the gateway's origin; `/v1/chat/completions` is appended. Required for `chat`. */
  baseUrl?: string | undefined
  /** Chat: the fetch to use, e.g. one that pays with x402. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch | undefined
  /** Chat: extra request headers. */
  headers?: Record<string, string> | undefined
}

export type GenerateImageReturnType = {
  /** The encoded image as the server produced it (PNG, JPEG, WebP…). */
  image: Uint8Array
  /** Its media type, e.g. `image/png` (`application/octet-stream` when unrecognised). */
  mediaType: string
}

export type GenerateImageErrorType =
  | ImageGenerationErrorType
  | import('@opengradient/core').InvalidInputErrorType
  | import('@opengradient/core').InvalidResponseErrorType
  | import('@opengradient/core').TimeoutErrorType
  | import('@opengradient/core').HttpErrorType

const maxDimension = 16_384

/**
 * Generates an image from a prompt. Image-output chat models (`openai/gpt-image-2`,
 * `google/gemini-2.5-flash-image`, …) are asked through a chat completion at `baseUrl`, whose
 * reply carries the image as a data URI or URL (downloaded here). Other models go to the legacy
 * gRPC image service: the request is submitted, its status polled with backoff and the result
 * fetched, with an overall deadline, a deadline per attempt and a few retries on transient
 * failures. A server-side failure throws {@link ImageGenerationError} with the server's message.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises'
 * import { generateImage } from '@opengradient/llm/image'
 *
 * const { image, mediaType } = await generateImage({
 *   model: 'devnet/image',
 *   prompt: 'A red sports car on an empty road',
 *   host: '127.0.0.1:50051',
 *   width: 512,
 *   height: 512,
 * })
 * await writeFile('car.png', image) // mediaType: 'image/png'
 * ```
 */
export async function generateImage(
  parameters: GenerateImageParameters,
): Promise<GenerateImageReturnType> {
  const { model, prompt } = parameters
  if (!model) throw new InvalidInputError('A model id is required to generate an image.')
  if (!prompt.trim()) throw new InvalidInputError('The prompt of an image must not be empty.')
  const width = dimension('width', parameters.width)
  const height = dimension('height', parameters.height)
  const timeoutMs = positive('timeoutMs', parameters.timeoutMs, 300_000)
  const transport =
    parameters.transport ??
    ((imageOutputModels as readonly string[]).includes(model) ? 'chat' : 'grpc')
  if (transport === 'chat') {
    if (!parameters.baseUrl)
      throw new InvalidInputError(
        `Model "${model}" is an image-output chat model; pass the gateway's \`baseUrl\`.`,
      )
    return generateImageOverChat({
      model,
      prompt,
      width,
      height,
      baseUrl: parameters.baseUrl,
      fetch: parameters.fetch ?? globalThis.fetch,
      headers: parameters.headers ?? {},
      timeoutMs,
      signal: parameters.signal,
    })
  }
  return generateImageOverGrpc({
    model,
    prompt,
    width,
    height,
    host: parameters.host ?? defaultImageGenerationHost,
    timeoutMs,
    attemptTimeoutMs: positive('attemptTimeoutMs', parameters.attemptTimeoutMs, 120_000),
    pollIntervalMs: positive('pollIntervalMs', parameters.pollIntervalMs, 100),
    maxRetries: positive('maxRetries', parameters.maxRetries, 3),
    signal: parameters.signal,
  })
}

function dimension(name: string, value: number | undefined): number {
  const resolved = value ?? 1024
  if (!Number.isInteger(resolved) || resolved < 1 || resolved > maxDimension)
    throw new InvalidInputError(
      `The image ${name} must be an integer from 1 to ${maxDimension}; got ${resolved}.`,
    )
  return resolved
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback
  if (!Number.isFinite(resolved) || resolved <= 0)
    throw new InvalidInputError(`\`${name}\` must be a positive number; got ${resolved}.`)
  return resolved
}
