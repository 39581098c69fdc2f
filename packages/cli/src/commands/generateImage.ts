import { randomUUID } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { InvalidInputError } from '@opengradient/core'
import { generateImage } from '@opengradient/llm/image'
import type { CommandContext } from '../context.js'

export type GenerateImageOptions = {
  model: string
  prompt: string
  outputPath: string
  width?: string | undefined
  height?: string | undefined
  host?: string | undefined
  llmUrl?: string | undefined
}

/**
 * `og generate-image -m MODEL -p PROMPT -o PATH`: generates an image and writes it atomically
 * (a temporary file renamed into place). Image-output chat models go through the LLM gateway;
 * other models through the gRPC image service (`--host`, `OG_IMAGE_HOST`, the devnet's own, or
 * the default).
 *
 * @example
 * ```sh
 * og --network devnet generate-image -m devnet/image -p "a red car" -o car.png --width 256 --height 256
 * ```
 */
export async function generateImageCommand(
  context: CommandContext,
  options: GenerateImageOptions,
): Promise<void> {
  const width = size('--width', options.width)
  const height = size('--height', options.height)
  const chain = context.getChain()
  const origin = chain.opengradient.llmGatewayUrl
  let host = options.host || context.io.env.OG_IMAGE_HOST
  // The devnet's gRPC image service listens on a port of its own, announced on the front.
  if (!host && chain.id === 10744 && origin) host = await devnetImageHost(origin)
  context.print(`Generating image with model "${options.model}"`)
  const { image, mediaType } = await generateImage({
    model: options.model,
    prompt: options.prompt,
    width,
    height,
    host,
    baseUrl: options.llmUrl || context.io.env.OG_LLM_URL || origin,
  })
  const path = resolve(options.outputPath)
  const partial = join(dirname(path), `.${basename(path)}.${randomUUID()}.part`)
  try {
    await writeFile(partial, image, { mode: 0o644 })
    await rename(partial, path)
  } catch (error) {
    await rm(partial, { force: true })
    throw error
  }
  if (context.json) context.printJson({ path, size: image.length, mediaType, width, height })
  else {
    context.print('✅ Image generation successful')
    context.print(`Image saved to: ${path} (${image.length} bytes, ${mediaType})`)
  }
}

function size(flag: string, value: string | undefined): number {
  if (value === undefined) return 1024
  const parsed = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1)
    throw new InvalidInputError(
      `${flag} must be a positive whole number of pixels; got "${value}".`,
    )
  return parsed
}

async function devnetImageHost(origin: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${origin.replace(/\/+$/, '')}/devnet/services`)
    if (!response.ok) return undefined
    const body = (await response.json()) as { image?: { grpcAddress?: unknown } }
    return typeof body.image?.grpcAddress === 'string' ? body.image.grpcAddress : undefined
  } catch {
    return undefined
  }
}
