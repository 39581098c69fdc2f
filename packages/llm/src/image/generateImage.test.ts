import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as grpc from '@grpc/grpc-js'
import { afterAll, describe, expect, onTestFinished, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { ImageGenerationError } from './errors.js'
import { generateImage } from './generateImage.js'
import {
  type InferenceRequest,
  InferenceStatusCode,
  inferenceServiceDefinition,
} from './protocol.js'

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])

type Script = {
  statuses: { status: number; errorMessage?: string }[]
  requests: InferenceRequest[]
}

const servers: grpc.Server[] = []
afterAll(() => {
  for (const server of servers) server.forceShutdown()
})

// A scripted image service: answers the statuses in order, the last one forever.
async function startImageServer(script: Script): Promise<string> {
  const server = new grpc.Server()
  let polls = 0
  server.addService(inferenceServiceDefinition, {
    RunInferenceAsync: (
      call: { request: InferenceRequest },
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      script.requests.push(call.request)
      callback(null, { id: 'job-1' })
    },
    GetInferenceStatus: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => {
      callback(null, script.statuses[Math.min(polls++, script.statuses.length - 1)])
    },
    GetInferenceResult: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => {
      callback(null, { imageData: png })
    },
  } as unknown as grpc.UntypedServiceImplementation)
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  )
  servers.push(server)
  return `127.0.0.1:${port}`
}

describe('generateImage', () => {
  test('default', async () => {
    const script: Script = {
      statuses: [
        { status: InferenceStatusCode.inProgress },
        { status: InferenceStatusCode.completed },
      ],
      requests: [],
    }
    const host = await startImageServer(script)
    const result = await generateImage({
      model: 'sdxl',
      prompt: 'a red car',
      host,
      pollIntervalMs: 5,
    })
    expect(result).toEqual({ image: png, mediaType: 'image/png' })
    expect(script.requests[0]?.imageGeneration).toEqual({
      model: 'sdxl',
      prompt: 'a red car',
      width: 1024,
      height: 1024,
    })
  })

  test('behavior: the devnet draws devnet/image over gRPC and over chat', async () => {
    const { rpcUrl } = testDevnet()
    const services = (await (await fetch(`${rpcUrl}/devnet/services`)).json()) as {
      image: { grpcAddress: string }
    }
    const overGrpc = await generateImage({
      model: 'devnet/image',
      prompt: 'a boat',
      width: 32,
      height: 16,
      host: services.image.grpcAddress,
      pollIntervalMs: 20,
    })
    expect(overGrpc.mediaType).toBe('image/png')
    const overChat = await generateImage({
      model: 'devnet/image',
      prompt: 'a boat',
      width: 32,
      height: 16,
      transport: 'chat',
      baseUrl: rpcUrl,
    })
    expect(overChat).toEqual(overGrpc)
  })

  test('behavior: image-output chat models fetch URL images', async () => {
    const bodies: string[] = []
    const server = createServer(async (request, response) => {
      if (request.url === '/img.png') {
        response.writeHead(200, { 'content-type': 'image/png; charset=binary' })
        response.end(Buffer.from(png))
        return
      }
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      bodies.push(Buffer.concat(chunks).toString('utf8'))
      response.writeHead(200, { 'content-type': 'application/json' })
      const images = [`${url}/img.png`]
      response.end(JSON.stringify({ choices: [{ message: { role: 'assistant', images } }] }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    onTestFinished(() => {
      server.close()
    })
    const result = await generateImage({
      model: 'openai/gpt-image-2',
      prompt: 'a car',
      baseUrl: url,
    })
    expect(result).toEqual({ image: png, mediaType: 'image/png' })
    expect(JSON.parse(bodies[0] ?? '{}')).toMatchObject({
      model: 'openai/gpt-image-2',
      size: '1024x1024',
    })
  })

  test('error: the server reports an error status', async () => {
    const host = await startImageServer({
      statuses: [{ status: InferenceStatusCode.error, errorMessage: 'CUDA out of memory' }],
      requests: [],
    })
    const error = await generateImage({
      model: 'sdxl',
      prompt: 'x',
      host,
      pollIntervalMs: 5,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImageGenerationError)
    expect((error as ImageGenerationError).serverMessage).toBe('CUDA out of memory')
    expect((error as ImageGenerationError).message.match(/CUDA out of memory/g)).toHaveLength(1)
  })

  test('error: polling runs past the deadline', async () => {
    const script: Script = { statuses: [{ status: InferenceStatusCode.inProgress }], requests: [] }
    const host = await startImageServer(script)
    const started = Date.now()
    const error = await generateImage({
      model: 'sdxl',
      prompt: 'x',
      host,
      timeoutMs: 300,
      pollIntervalMs: 10,
    }).catch((e: unknown) => e)
    expect((error as Error).name).toBe('TimeoutError')
    expect(Date.now() - started).toBeLessThan(2000)
  })

  test('behavior: an attempt that runs out is retried with its own clock', async () => {
    const script: Script = { statuses: [{ status: InferenceStatusCode.inProgress }], requests: [] }
    const host = await startImageServer(script)
    const error = await generateImage({
      model: 'sdxl',
      prompt: 'x',
      host,
      timeoutMs: 5000,
      attemptTimeoutMs: 150,
      pollIntervalMs: 10,
      maxRetries: 2,
    }).catch((e: unknown) => e)
    expect((error as Error).name).toBe('ImageGenerationError')
    expect((error as Error).message).toContain('failed after 2 attempts')
    expect(script.requests).toHaveLength(2)
  })

  test('error: aborted by the signal', async () => {
    const host = await startImageServer({
      statuses: [{ status: InferenceStatusCode.inProgress }],
      requests: [],
    })
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('stopped by user')), 100)
    await expect(
      generateImage({
        model: 'sdxl',
        prompt: 'x',
        host,
        pollIntervalMs: 10,
        signal: controller.signal,
      }),
    ).rejects.toThrow('stopped by user')
  })

  test('error: unreachable host after retries', async () => {
    const error = await generateImage({
      model: 'sdxl',
      prompt: 'x',
      host: '127.0.0.1:1',
      pollIntervalMs: 5,
      maxRetries: 2,
      timeoutMs: 10_000,
    }).catch((e: unknown) => e)
    expect((error as ImageGenerationError).name).toBe('ImageGenerationError')
    expect((error as ImageGenerationError).grpcCode).toBe(14)
  })

  test('error: args: invalid size', async () => {
    await expect(generateImage({ model: 'sdxl', prompt: 'x', width: 0 })).rejects.toThrow(
      'The image width must be an integer',
    )
  })
})
