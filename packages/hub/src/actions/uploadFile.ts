import {
  type AuthErrorType,
  HttpError,
  type HttpErrorType,
  InvalidInputError,
  type InvalidInputErrorType,
  type NotFoundErrorType,
  type TimeoutErrorType,
} from '@opengradient/core'
import type { HubClient } from '../client/createHubClient.js'
import { detailOf, hubRequest } from '../utils/request.js'
import {
  blobSource,
  bytesSource,
  multipartBody,
  streamSource,
  type UploadProgress,
  type UploadSource,
} from '../utils/uploadBody.js'
import { joinUrl, pathSegment } from '../utils/url.js'

export type UploadFileParameters = {
  /** The repository's name. */
  model: string
  /** The version to upload into, e.g. `0.01` (as `createVersion` returned it). */
  version: string
  /** The file as a Blob or File: streamed from where it lives, never read into memory. */
  file?: Blob | undefined
  /** The file as bytes in memory. */
  data?: Uint8Array | ArrayBuffer | undefined
  /** The file as a stream, read once. A request from a stream is not repeated after a 401. */
  stream?: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | undefined
  /** Bytes in `stream`; sent as `Content-Length`, and checked. Without it the body is chunked. */
  size?: number | undefined
  /**
   * The file name the hub records.
   * @default the File's name, else `model.onnx`
   */
  fileName?: string | undefined
  /** Called as file bytes are handed to the connection. */
  onProgress?: ((progress: UploadProgress) => void) | undefined
  /** Cancels the upload; the hub keeps nothing of it. */
  signal?: AbortSignal | undefined
}

export type UploadFileReturnType = {
  /** The IPFS content id of the uploaded bytes (CIDv0, `Qm…`): the model id for `infer`. */
  modelCid: string
  /** Size in bytes, as the hub counted it. */
  size: number
}

export type UploadFileErrorType =
  | AuthErrorType
  | NotFoundErrorType
  | HttpErrorType
  | TimeoutErrorType
  | InvalidInputErrorType

/**
 * Uploads a file into a version of a model repository (`POST
 * /models/{model}/versions/{version}/files`, multipart/form-data with one part named `file`).
 *
 * The body is a stream pulled chunk by chunk, so memory stays constant for any file size;
 * `Content-Length` is sent when the size is known. Every answer other than 201 with
 * `{ ipfsCid, size }` is an error carrying the status and the hub's `detail`; a 201 with an
 * empty body is an error too (the reference SDK reported success with null fields). Uploads
 * are never retried, except once after a 401 with a refreshed token when the source can be
 * read again (a Blob or bytes).
 *
 * In Node, `uploadFile` of `@opengradient/hub/node` also takes a file path.
 *
 * @example
 * ```ts
 * import { uploadFile } from '@opengradient/hub'
 *
 * const { modelCid, size } = await uploadFile(hub, {
 *   model: 'my-model',
 *   version: '0.01',
 *   file: new File([onnxBytes], 'model.onnx'),
 *   onProgress: ({ loaded, total }) => console.log(loaded, total),
 * })
 * ```
 */
export async function uploadFile(
  client: HubClient,
  parameters: UploadFileParameters,
): Promise<UploadFileReturnType> {
  const sources = [parameters.file, parameters.data, parameters.stream].filter(
    (source) => source !== undefined,
  )
  if (sources.length !== 1) {
    throw new InvalidInputError('Pass exactly one of file, data and stream to uploadFile.')
  }
  if (
    parameters.size !== undefined &&
    (!Number.isSafeInteger(parameters.size) || parameters.size < 0)
  ) {
    throw new InvalidInputError(`The size ${parameters.size} is not a byte count.`)
  }
  let source: UploadSource
  if (parameters.file !== undefined) source = blobSource(parameters.file)
  else if (parameters.data !== undefined) source = bytesSource(parameters.data)
  else source = streamSource(parameters.stream!, parameters.size)
  const fileName =
    parameters.fileName ??
    ((parameters.file as { name?: unknown } | undefined)?.name || undefined) ??
    'model.onnx'
  return uploadSource(client, {
    model: parameters.model,
    version: parameters.version,
    source,
    fileName: String(fileName),
    onProgress: parameters.onProgress,
    signal: parameters.signal,
  })
}

/** Uploads from any {@link UploadSource}; the entries of this package build theirs. */
export async function uploadSource(
  client: HubClient,
  parameters: {
    model: string
    version: string
    source: UploadSource
    fileName: string
    onProgress?: ((progress: UploadProgress) => void) | undefined
    signal?: AbortSignal | undefined
  },
): Promise<UploadFileReturnType> {
  const url = joinUrl(
    client.baseUrl,
    `/models/${pathSegment(parameters.model, 'model name')}/versions/${pathSegment(parameters.version, 'version')}/files`,
  )
  const body = multipartBody(parameters.source, {
    fileName: parameters.fileName,
    onProgress: parameters.onProgress,
  })
  let response: Response
  let text: string
  try {
    response = await hubRequest(client, {
      method: 'POST',
      url,
      label: 'Upload',
      auth: 'required',
      idempotent: false,
      timeout: client.transferTimeout,
      signal: parameters.signal,
      body,
    })
    text = await response.text()
  } catch (error) {
    // A source that failed surfaces from fetch as a network error; report the source's own.
    throw body.failure() ?? error
  }
  const status = response.status
  let parsed: unknown
  try {
    parsed = text.trim() ? JSON.parse(text) : null
  } catch {
    parsed = text
  }
  if (status !== 201) {
    // Only a 201 is success; another 2xx says what went wrong in `detail`, as errors do.
    const detail = detailOf(parsed) ?? 'Unknown error occurred'
    throw new HttpError(`Upload failed: ${detail.replace(/[.!?]?$/, '.')}`, {
      status,
      url,
      method: 'POST',
      detail,
      body: parsed,
    })
  }
  if (parsed === null) {
    throw new HttpError('Upload failed: the hub answered 201 with an empty body.', {
      status,
      url,
      method: 'POST',
      body: text,
    })
  }
  const { ipfsCid, size } = parsed as { ipfsCid?: unknown; size?: unknown }
  if (typeof ipfsCid !== 'string' || !ipfsCid || typeof size !== 'number') {
    throw new HttpError('Upload failed: the answer has no ipfsCid and size.', {
      status,
      url,
      method: 'POST',
      body: parsed,
    })
  }
  return { modelCid: ipfsCid, size }
}
