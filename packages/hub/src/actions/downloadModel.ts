import type {
  HttpErrorType,
  IntegrityErrorType,
  InvalidInputErrorType,
  NotFoundErrorType,
  TimeoutErrorType,
} from '@opengradient/core'
import type { HubClient } from '../client/createHubClient.js'
import { streamIterator } from '../utils/uploadBody.js'
import { type DownloadFileParameters, downloadFile } from './downloadFile.js'

export type DownloadModelParameters = DownloadFileParameters

/** The model file's bytes, checked against its CID. */
export type DownloadModelReturnType = Uint8Array

export type DownloadModelErrorType =
  | IntegrityErrorType
  | NotFoundErrorType
  | HttpErrorType
  | TimeoutErrorType
  | InvalidInputErrorType

/**
 * Downloads a model file from an IPFS gateway into memory, recomputes its content id and
 * returns the bytes only when it matches: tampered or truncated bytes are refused with an
 * `IntegrityError`. Use {@link downloadFile} to stream large files to disk instead.
 *
 * @example
 * ```ts
 * import { downloadModel } from '@opengradient/hub'
 * import * as ort from 'onnxruntime-web'
 *
 * const bytes = await downloadModel(hub, { cid: 'Qm…', gateway: 'http://127.0.0.1:8545/ipfs/' })
 * const session = await ort.InferenceSession.create(bytes)
 * ```
 */
export async function downloadModel(
  client: HubClient,
  parameters: DownloadModelParameters,
): Promise<DownloadModelReturnType> {
  const { stream } = await downloadFile(client, parameters)
  const chunks: Uint8Array[] = []
  let length = 0
  const iterator = streamIterator(stream)
  for (;;) {
    const next = await iterator.next()
    if (next.done) break
    chunks.push(next.value)
    length += next.value.byteLength
  }
  if (chunks.length === 1 && chunks[0]!.byteLength === length) return chunks[0]!
  const bytes = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}
