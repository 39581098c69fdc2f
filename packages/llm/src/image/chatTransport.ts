// Image-output chat models: a chat completion whose reply carries the image as a data URI or URL.
import { HttpError, InvalidResponseError, TimeoutError } from '@opengradient/core'
import { decodeDataUri, sniffImageMediaType } from './media.js'

export type ChatImageRequest = {
  model: string
  prompt: string
  width: number
  height: number
  baseUrl: string
  fetch: typeof globalThis.fetch
  headers: Record<string, string>
  timeoutMs: number
  signal: AbortSignal | undefined
}

const urlDownloadMs = 60_000

async function withDeadline<T>(
  request: ChatImageRequest,
  deadline: number,
  url: string,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timeout = AbortSignal.timeout(Math.max(1, deadline - Date.now()))
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout
  try {
    return await run(signal)
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason
    if (timeout.aborted)
      throw new TimeoutError(
        `Image generation with model "${request.model}" did not finish within ${request.timeoutMs} ms.`,
        { timeoutMs: request.timeoutMs, metaMessages: [`Request: ${url}`] },
      )
    if (error instanceof Error && error.name.endsWith('Error') && 'shortMessage' in error)
      throw error
    throw new HttpError(`The request to ${url} failed.`, { url, cause: error })
  }
}

function imageReferences(body: unknown): string[] {
  const choices = (body as { choices?: unknown } | null)?.choices
  const message = Array.isArray(choices)
    ? (choices[0] as { message?: { images?: unknown } } | undefined)?.message
    : undefined
  const images = message?.images
  if (!Array.isArray(images)) return []
  return images.flatMap((image: unknown) => {
    if (typeof image === 'string') return [image]
    // Some gateways send OpenAI content parts instead of plain strings.
    const url =
      (image as { image_url?: { url?: unknown } })?.image_url?.url ??
      (image as { url?: unknown })?.url
    return typeof url === 'string' ? [url] : []
  })
}

/** Asks an image-output chat model for one image and returns its bytes. */
export async function generateImageOverChat(
  request: ChatImageRequest,
): Promise<{ image: Uint8Array; mediaType: string }> {
  request.signal?.throwIfAborted()
  const deadline = Date.now() + request.timeoutMs
  const url = `${request.baseUrl.replace(/\/+$/, '')}/v1/chat/completions`
  const body = await withDeadline(request, deadline, url, async (signal) => {
    const response = await request.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: JSON.stringify({
        model: request.model,
        messages: [{ role: 'user', content: request.prompt }],
        size: `${request.width}x${request.height}`,
      }),
      signal,
    })
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = text
    }
    if (!response.ok) {
      const error = (parsed as { error?: { message?: unknown } | string; detail?: unknown }) ?? {}
      const detail =
        typeof error.error === 'string'
          ? error.error
          : typeof error.error?.message === 'string'
            ? error.error.message
            : typeof error.detail === 'string'
              ? error.detail
              : undefined
      throw new HttpError(`The image request to model "${request.model}" failed.`, {
        status: response.status,
        url,
        method: 'POST',
        detail,
        body: parsed,
      })
    }
    return parsed
  })
  const reference = imageReferences(body)[0]
  if (reference === undefined)
    throw new InvalidResponseError(`The reply of model "${request.model}" carries no image.`, {
      body,
      url,
    })
  if (/^https?:\/\//i.test(reference)) {
    const imageDeadline = Math.min(deadline, Date.now() + urlDownloadMs)
    return withDeadline(request, imageDeadline, reference, async (signal) => {
      const response = await request.fetch(reference, { signal, redirect: 'follow' })
      if (!response.ok)
        throw new HttpError('The generated image could not be downloaded.', {
          status: response.status,
          url: reference,
        })
      const image = new Uint8Array(await response.arrayBuffer())
      const contentType = response.headers.get('content-type')?.split(';')[0]?.trim()
      return { image, mediaType: contentType || 'image/jpeg' }
    })
  }
  const decoded = decodeDataUri(reference)
  // A bare string is taken as base64 image data, as the reference CLI does.
  const image = decoded?.bytes ?? Uint8Array.from(Buffer.from(reference, 'base64'))
  if (image.length === 0)
    throw new InvalidResponseError(
      `The reply of model "${request.model}" carries an empty image.`,
      {
        body,
        url,
      },
    )
  return {
    image,
    mediaType: decoded?.mediaType ?? sniffImageMediaType(image) ?? 'image/png',
  }
}
