// The devnet's image generation: the legacy gRPC image service on its own port, and the
// image-output chat path for its models on the front.
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import {
  type InferenceRequest,
  type InferenceResult,
  InferenceStatusCode,
  inferenceServiceDefinition,
  sniffImageMediaType,
} from '@opengradient/llm/image'
import { readBody, sendJson } from '../front/server.js'
import type { DevnetService } from '../service.js'
import { renderPromptImage } from './png.js'

/** The model id the devnet draws itself. */
export const devnetImageModel = 'devnet/image'

/** Path of the admin route that tells where the devnet's extra listeners are. */
export const devnetServicesPath = '/devnet/services'

/** An OpenAI-compatible images API (`POST <url>/v1/images/generations`) serving a model. */
export type ImageUpstreamConfig = {
  /** Origin of the API, e.g. `https://api.openai.com`. */
  url: string
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string | undefined
  /** The model name upstream. @default the devnet model id */
  model?: string | undefined
}

export type ImageServiceConfig = {
  /** How long a gRPC request reports `IN_PROGRESS` before `COMPLETED`. @default 200 */
  progressMs?: number | undefined
  /** Models served by an upstream images API, by model id (`devnet/image` is built in). */
  upstream?: Readonly<Record<string, ImageUpstreamConfig>> | undefined
}

/** The image service, with the address of its gRPC listener once started. */
export type ImageService = DevnetService & {
  /** `127.0.0.1:<port>` of the gRPC image service; throws before `start`. */
  grpcAddress(): string
  /** Generates one image as the service would (for tests and tools). */
  generate(parameters: {
    model: string
    prompt: string
    width?: number | undefined
    height?: number | undefined
  }): Promise<{ image: Uint8Array; mediaType: string }>
}

// The gRPC runtime comes from the LLM package, which declares it; the devnet itself does not.
type GrpcCallback = (error: { code: number; details: string } | null, value?: unknown) => void
type GrpcServer = {
  addService(
    definition: object,
    implementation: Record<string, (call: { request: unknown }, callback: GrpcCallback) => void>,
  ): void
  bindAsync(
    address: string,
    credentials: unknown,
    callback: (error: Error | null, port: number) => void,
  ): void
  tryShutdown(callback: (error?: Error) => void): void
  forceShutdown(): void
}
type GrpcServerModule = {
  Server: new () => GrpcServer
  ServerCredentials: { createInsecure(): unknown }
  status: { NOT_FOUND: number; FAILED_PRECONDITION: number }
}

function loadGrpcServer(): GrpcServerModule {
  const fromDevnet = createRequire(import.meta.url)
  const llmPackage = fromDevnet.resolve('@opengradient/llm/package.json')
  return createRequire(llmPackage)('@grpc/grpc-js') as GrpcServerModule
}

type Job = { startedAt: number; result?: Uint8Array; error?: string }

/**
 * Creates the devnet's image service. `devnet/image` is a built-in deterministic stand-in that
 * renders a PNG of the requested size from a hash of the prompt; other models can be served by
 * any OpenAI-compatible images API. The legacy gRPC protocol listens on its own port of
 * 127.0.0.1 (see `GET /devnet/services`), and `POST /v1/chat/completions` for these models
 * answers with `message.images` data URIs; chat requests for other models pass on to the next
 * route.
 *
 * @example
 * ```ts
 * const devnet = await startDevnet({
 *   services: [createImageService({ upstream: { 'openai/gpt-image-2': { url: 'https://api.openai.com', apiKey, model: 'gpt-image-1' } } })],
 * })
 * ```
 */
export function createImageService(config: ImageServiceConfig = {}): ImageService {
  const progressMs = config.progressMs ?? 200
  const upstream = config.upstream ?? {}
  const jobs = new Map<string, Job>()
  let server: GrpcServer | undefined
  let address: string | undefined

  const generate: ImageService['generate'] = async (parameters) => {
    const width = parameters.width ?? 1024
    const height = parameters.height ?? 1024
    if (
      !Number.isInteger(width) ||
      !Number.isInteger(height) ||
      width < 1 ||
      height < 1 ||
      width > 4096 ||
      height > 4096
    )
      throw new Error(
        `The image size ${width}x${height} is not supported (1 to 4096 pixels a side).`,
      )
    if (parameters.model === devnetImageModel)
      return {
        image: renderPromptImage({ prompt: parameters.prompt, width, height }),
        mediaType: 'image/png',
      }
    const backend = upstream[parameters.model]
    if (!backend)
      throw new Error(`Model "${parameters.model}" is not served by the devnet image service.`)
    return generateUpstream(backend, { ...parameters, width, height })
  }

  const models = () => [devnetImageModel, ...Object.keys(upstream)]

  const grpcHandlers = {
    RunInferenceAsync(call: { request: unknown }, callback: GrpcCallback) {
      const request = call.request as InferenceRequest
      const id = randomUUID()
      const job: Job = { startedAt: Date.now() }
      jobs.set(id, job)
      generate(request.imageGeneration).then(
        ({ image }) => {
          job.result = image
        },
        (error: Error) => {
          job.error = error.message
        },
      )
      callback(null, { id })
    },
    GetInferenceStatus(call: { request: unknown }, callback: GrpcCallback) {
      const job = jobs.get((call.request as { id: string }).id)
      if (!job)
        return callback(null, {
          status: InferenceStatusCode.error,
          errorMessage: 'Unknown inference id.',
        })
      if (job.error !== undefined)
        return callback(null, { status: InferenceStatusCode.error, errorMessage: job.error })
      const done = job.result !== undefined && Date.now() - job.startedAt >= progressMs
      callback(null, {
        status: done ? InferenceStatusCode.completed : InferenceStatusCode.inProgress,
      })
    },
    GetInferenceResult(call: { request: unknown }, callback: GrpcCallback) {
      const id = (call.request as { id: string }).id
      const job = jobs.get(id)
      const grpc = loadGrpcServer()
      if (!job)
        return callback({ code: grpc.status.NOT_FOUND, details: `Unknown inference id "${id}".` })
      if (job.result === undefined)
        return callback({
          code: grpc.status.FAILED_PRECONDITION,
          details: `Inference "${id}" has not completed.`,
        })
      jobs.delete(id)
      callback(null, { imageData: job.result } satisfies InferenceResult)
    },
  }

  return {
    name: 'image',
    grpcAddress() {
      if (!address) throw new Error('The image service has not started.')
      return address
    },
    generate,
    routes: [
      (request, response, url) => {
        if (request.method !== 'GET' || url.pathname !== devnetServicesPath) return false
        sendJson(response, 200, { image: { grpcAddress: address ?? null, models: models() } })
        return true
      },
      async (request, response, url) => {
        if (request.method !== 'POST' || url.pathname !== '/v1/chat/completions') return false
        let body: { model?: unknown; messages?: unknown; size?: unknown }
        try {
          body = JSON.parse(await readBody(request))
        } catch {
          return false
        }
        if (typeof body.model !== 'string' || !models().includes(body.model)) return false
        const prompt = promptOf(body.messages)
        const size = typeof body.size === 'string' ? /^(\d+)x(\d+)$/.exec(body.size) : null
        try {
          const { image, mediaType } = await generate({
            model: body.model,
            prompt,
            width: size ? Number(size[1]) : undefined,
            height: size ? Number(size[2]) : undefined,
          })
          sendJson(response, 200, {
            id: `chatcmpl-${randomUUID()}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: body.model,
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content: '',
                  images: [`data:${mediaType};base64,${Buffer.from(image).toString('base64')}`],
                },
                finish_reason: 'stop',
              },
            ],
            usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
          })
        } catch (error) {
          sendJson(response, 400, {
            error: { message: (error as Error).message, type: 'invalid_request_error' },
          })
        }
        return true
      },
    ],
    async start() {
      const grpc = loadGrpcServer()
      const grpcServer = new grpc.Server()
      grpcServer.addService(inferenceServiceDefinition, grpcHandlers)
      const port = await new Promise<number>((resolve, reject) =>
        grpcServer.bindAsync(
          '127.0.0.1:0',
          grpc.ServerCredentials.createInsecure(),
          (error, bound) => (error ? reject(error) : resolve(bound)),
        ),
      )
      server = grpcServer
      address = `127.0.0.1:${port}`
    },
    async stop() {
      const running = server
      server = undefined
      address = undefined
      jobs.clear()
      if (!running) return
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          running.forceShutdown()
          resolve()
        }, 1000)
        running.tryShutdown(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    },
  }
}

function promptOf(messages: unknown): string {
  if (!Array.isArray(messages)) return ''
  const user = messages.findLast((message: { role?: unknown }) => message?.role === 'user') as
    | { content?: unknown }
    | undefined
  if (typeof user?.content === 'string') return user.content
  if (Array.isArray(user?.content))
    return user.content
      .map((part: { type?: unknown; text?: unknown }) =>
        part?.type === 'text' && typeof part.text === 'string' ? part.text : '',
      )
      .join('')
  return ''
}

async function generateUpstream(
  backend: ImageUpstreamConfig,
  parameters: { model: string; prompt: string; width: number; height: number },
): Promise<{ image: Uint8Array; mediaType: string }> {
  const url = `${backend.url.replace(/\/+$/, '')}/v1/images/generations`
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(backend.apiKey ? { authorization: `Bearer ${backend.apiKey}` } : {}),
    },
    body: JSON.stringify({
      model: backend.model ?? parameters.model,
      prompt: parameters.prompt,
      n: 1,
      size: `${parameters.width}x${parameters.height}`,
      response_format: 'b64_json',
    }),
    signal: AbortSignal.timeout(120_000),
  })
  const body = (await response.json().catch(() => ({}))) as {
    data?: { b64_json?: unknown; url?: unknown }[]
    error?: { message?: unknown }
  }
  if (!response.ok)
    throw new Error(
      `The upstream images API answered ${response.status}: ${typeof body.error?.message === 'string' ? body.error.message : 'no reason given'}.`,
    )
  const first = body.data?.[0]
  if (typeof first?.b64_json === 'string') {
    const image = Uint8Array.from(Buffer.from(first.b64_json, 'base64'))
    return { image, mediaType: sniff(image) }
  }
  if (typeof first?.url === 'string') {
    const download = await fetch(first.url, { signal: AbortSignal.timeout(60_000) })
    if (!download.ok)
      throw new Error(`The upstream image could not be downloaded (${download.status}).`)
    const image = new Uint8Array(await download.arrayBuffer())
    return { image, mediaType: download.headers.get('content-type')?.split(';')[0] ?? sniff(image) }
  }
  throw new Error('The upstream images API returned no image.')
}

function sniff(image: Uint8Array): string {
  return sniffImageMediaType(image) ?? 'application/octet-stream'
}
