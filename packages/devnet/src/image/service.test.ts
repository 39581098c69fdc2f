import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inflateSync } from 'node:zlib'
import { generateImage, ImageGenerationError } from '@opengradient/llm/image'
import { describe, expect, onTestFinished, test } from 'vitest'
import { startFront } from '../front/server.js'
import type { DevnetStartedContext } from '../service.js'
import { crc32, encodePng, renderPromptImage } from './png.js'
import { createImageService } from './service.js'

async function startService(parameters: Parameters<typeof createImageService>[0] = {}) {
  const service = createImageService(parameters)
  await service.start?.({} as DevnetStartedContext)
  const front = await startFront({ port: 0, routes: service.routes ?? [] })
  onTestFinished(async () => {
    await front.close()
    await service.stop?.()
  })
  return { service, url: front.url }
}

describe('renderPromptImage', () => {
  test('default', () => {
    const png = renderPromptImage({ prompt: 'a red car', width: 5, height: 3 })
    expect(png.readUInt32BE(16)).toBe(5)
    expect(png.readUInt32BE(20)).toBe(3)
    expect(png.readUInt32BE(29)).toBe(crc32(png.subarray(12, 29)))
    expect(renderPromptImage({ prompt: 'a red car', width: 5, height: 3 }).equals(png)).toBe(true)
    expect(renderPromptImage({ prompt: 'a blue car', width: 5, height: 3 }).equals(png)).toBe(false)
  })

  test('behavior: encodePng writes filter-0 scanlines', () => {
    const png = encodePng({ width: 2, height: 1, rgb: Uint8Array.of(1, 2, 3, 4, 5, 6) })
    const idatLength = png.readUInt32BE(33)
    const raw = inflateSync(png.subarray(41, 41 + idatLength))
    expect([...raw]).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082)
  })
})

describe('createImageService', () => {
  test('default', async () => {
    const { service, url } = await startService({ progressMs: 50 })
    const services = await (await fetch(`${url}/devnet/services`)).json()
    expect(services).toEqual({
      image: { grpcAddress: service.grpcAddress(), models: ['devnet/image'] },
    })
    const result = await generateImage({
      model: 'devnet/image',
      prompt: 'p',
      width: 7,
      height: 9,
      host: service.grpcAddress(),
      pollIntervalMs: 10,
    })
    expect(
      Buffer.from(result.image).equals(renderPromptImage({ prompt: 'p', width: 7, height: 9 })),
    ).toBe(true)
  })

  test('behavior: the chat route claims only its own models', async () => {
    const { url } = await startService()
    const other = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'devnet/tiny', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(other.status).toBe(404)
    const mine = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'devnet/image',
        messages: [{ role: 'user', content: 'hi' }],
        size: '4x4',
      }),
    })
    const body = (await mine.json()) as { choices: { message: { images: string[] } }[] }
    expect(body.choices[0]?.message.images[0]).toBe(
      `data:image/png;base64,${renderPromptImage({ prompt: 'hi', width: 4, height: 4 }).toString('base64')}`,
    )
  })

  test('args: upstream', async () => {
    const upstreamImage = renderPromptImage({ prompt: 'upstream', width: 2, height: 2 })
    const requests: { authorization: string | undefined; body: unknown }[] = []
    const upstream = createServer(async (request, response) => {
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      requests.push({
        authorization: request.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString()),
      })
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ data: [{ b64_json: upstreamImage.toString('base64') }] }))
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    onTestFinished(() => {
      upstream.close()
    })
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
    const { url } = await startService({
      upstream: {
        'openai/gpt-image-2': { url: upstreamUrl, apiKey: 'sk-test', model: 'gpt-image-1' },
      },
    })
    const result = await generateImage({
      model: 'openai/gpt-image-2',
      prompt: 'a cat',
      width: 256,
      height: 512,
      baseUrl: url,
    })
    expect(result).toEqual({ image: Uint8Array.from(upstreamImage), mediaType: 'image/png' })
    expect(requests).toEqual([
      {
        authorization: 'Bearer sk-test',
        body: {
          model: 'gpt-image-1',
          prompt: 'a cat',
          n: 1,
          size: '256x512',
          response_format: 'b64_json',
        },
      },
    ])
  })

  test('error: an unknown model fails with the server message', async () => {
    const { service } = await startService()
    const error = await generateImage({
      model: 'nope',
      prompt: 'x',
      host: service.grpcAddress(),
      pollIntervalMs: 10,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImageGenerationError)
    expect((error as ImageGenerationError).serverMessage).toBe(
      'Model "nope" is not served by the devnet image service.',
    )
  })
})
