import {
  HttpError,
  type HttpErrorType,
  IntegrityError,
  type IntegrityErrorType,
  InvalidInputError,
  type InvalidInputErrorType,
  ipfsGatewayFileUrl,
  isCidV0,
  type NotFoundErrorType,
  TimeoutError,
  type TimeoutErrorType,
} from '@opengradient/core'
import type { HubClient } from '../client/createHubClient.js'
import { createChunkChannel } from '../utils/chunkChannel.js'
import { computeModelCid } from '../utils/cid.js'
import { hubRequest } from '../utils/request.js'

export type DownloadFileParameters = {
  /** The file's IPFS content id (CIDv0, `Qm…`), e.g. `modelCid` of an upload. */
  cid: string
  /**
   * The IPFS gateway: a URL prefix the CID is appended to, or a template with `{cid}`.
   * @default client.gatewayUrl
   */
  gateway?: string | undefined
  /** Called as bytes arrive. */
  onProgress?: ((progress: { loaded: number; total: number | undefined }) => void) | undefined
  signal?: AbortSignal | undefined
}

export type DownloadFileReturnType = {
  /**
   * The file's bytes. The CID is recomputed as they pass; when they do not match, the stream
   * ends with an `IntegrityError` instead of closing. Keep what was read only once it closed.
   */
  stream: ReadableStream<Uint8Array>
  /** Bytes announced by the gateway (`Content-Length`), when it did. */
  size: number | undefined
}

export type DownloadFileErrorType =
  | IntegrityErrorType
  | NotFoundErrorType
  | HttpErrorType
  | TimeoutErrorType
  | InvalidInputErrorType

/**
 * Streams a file from an IPFS gateway by its content id and checks the bytes against the id
 * as they pass, in constant memory: a gateway can serve a file but never substitute another.
 * The request is retried on 408, 429, 5xx and network failures; the whole transfer is bounded
 * by the client's `transferTimeout`. No hub credentials are sent to the gateway.
 *
 * @example
 * ```ts
 * import { createWriteStream } from 'node:fs'
 * import { Writable } from 'node:stream'
 * import { downloadFile } from '@opengradient/hub'
 *
 * const { stream } = await downloadFile(hub, { cid: 'Qm…' })
 * await stream.pipeTo(Writable.toWeb(createWriteStream('model.onnx.part')))
 * // rename the file once pipeTo resolved: the bytes matched the CID
 * ```
 */
export async function downloadFile(
  client: HubClient,
  parameters: DownloadFileParameters,
): Promise<DownloadFileReturnType> {
  const { cid } = parameters
  if (!isCidV0(cid)) {
    throw new InvalidInputError(`"${cid}" is not a CIDv0 (Qm…) content id; it cannot be checked.`)
  }
  const url = ipfsGatewayFileUrl(parameters.gateway ?? client.gatewayUrl, cid)
  const deadline = new AbortController()
  const timer = setTimeout(
    () =>
      deadline.abort(
        new TimeoutError(`The download of "${cid}" did not finish in time.`, {
          timeoutMs: client.transferTimeout,
        }),
      ),
    client.transferTimeout,
  )
  const signal = parameters.signal
    ? AbortSignal.any([parameters.signal, deadline.signal])
    : deadline.signal
  let response: Response
  try {
    response = await hubRequest(client, {
      method: 'GET',
      url,
      label: 'Download',
      auth: 'none',
      idempotent: true,
      signal,
    })
  } catch (error) {
    clearTimeout(timer)
    throw error
  }
  const lengthHeader = response.headers.get('content-length')
  const size = lengthHeader === null ? undefined : Number(lengthHeader)
  const reader = response.body?.getReader()
  const channel = createChunkChannel()
  const computed = computeModelCid(channel.iterable)
  computed.catch(() => {})
  let loaded = 0

  const failure = (error: unknown): unknown => {
    if (signal.aborted) return signal.reason
    if (error instanceof IntegrityError) return error
    return new HttpError(`The download of "${cid}" broke off.`, {
      url,
      method: 'GET',
      cause: error,
      details: 'The connection ended before the whole file arrived.',
    })
  }

  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = reader ? await reader.read() : { done: true as const, value: undefined }
        if (next.done) {
          channel.end()
          const actualCid = await computed
          clearTimeout(timer)
          if (actualCid !== cid) {
            controller.error(new IntegrityError({ expectedCid: cid, actualCid, url }))
          } else controller.close()
          return
        }
        // The hash reads its own copy: the consumer may keep or reuse the chunk it gets.
        await channel.push(next.value.slice())
        loaded += next.value.byteLength
        controller.enqueue(next.value)
        parameters.onProgress?.({ loaded, total: size })
      } catch (error) {
        clearTimeout(timer)
        channel.fail(error)
        controller.error(failure(error))
      }
    },
    async cancel(reason) {
      clearTimeout(timer)
      channel.fail(reason)
      await reader?.cancel(reason).catch(() => {})
    },
  })
  return { stream, size: size !== undefined && Number.isSafeInteger(size) ? size : undefined }
}
