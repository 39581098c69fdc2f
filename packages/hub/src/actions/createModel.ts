import {
  type AuthErrorType,
  HttpError,
  type HttpErrorType,
  type InvalidInputErrorType,
  type TimeoutErrorType,
} from '@opengradient/core'
import type { HubClient } from '../client/createHubClient.js'
import { hubJson } from '../utils/request.js'
import {
  blobSource,
  bytesSource,
  streamSource,
  type UploadProgress,
  type UploadSource,
} from '../utils/uploadBody.js'
import { joinUrl } from '../utils/url.js'
import { createVersion } from './createVersion.js'
import { type UploadFileReturnType, uploadSource } from './uploadFile.js'

export type CreateModelParameters = {
  /** The repository's name. */
  name: string
  description: string
  /** Notes of the first version. @default 'Initial version' */
  notes?: string | undefined
  /** A file to upload into the first version: a Blob or File, bytes, or a stream (read once). */
  file?:
    | Blob
    | Uint8Array
    | ArrayBuffer
    | ReadableStream<Uint8Array>
    | AsyncIterable<Uint8Array>
    | undefined
  /** The uploaded file's name. @default the File's name, else `model.onnx` */
  fileName?: string | undefined
  /** Progress of the upload. */
  onProgress?: ((progress: UploadProgress) => void) | undefined
  signal?: AbortSignal | undefined
}

export type CreateModelReturnType = {
  /** The repository's name, as the hub created it. */
  name: string
  /** The first version's string (e.g. `0.01`); `undefined` when the hub's answer named none. */
  initialVersion: string | undefined
  /** The upload's result, when a file was given. */
  upload?: UploadFileReturnType | undefined
}

export type CreateModelErrorType =
  | AuthErrorType
  | HttpErrorType
  | TimeoutErrorType
  | InvalidInputErrorType

/**
 * Creates a model repository (`POST /models/`, with the trailing slash the hub's route has),
 * then its first version, and, with `file`, uploads it into the version the hub returned (the
 * reference SDK uploaded to a hard-coded `0.01`, and sent its version label as the notes).
 *
 * When the repository is created but a later step fails, the error says so: the repository
 * exists and `createVersion` / `uploadFile` can finish the job.
 *
 * @example
 * ```ts
 * import { createModel } from '@opengradient/hub'
 *
 * const { name, initialVersion, upload } = await createModel(hub, {
 *   name: 'my-model',
 *   description: 'A small classifier',
 *   file: new File([onnxBytes], 'model.onnx'),
 * })
 * upload?.modelCid // 'Qm…'
 * ```
 */
export async function createModel(
  client: HubClient,
  parameters: CreateModelParameters,
): Promise<CreateModelReturnType> {
  const { file } = parameters
  const upload =
    file === undefined
      ? undefined
      : {
          source:
            file instanceof Blob
              ? blobSource(file)
              : file instanceof Uint8Array || file instanceof ArrayBuffer
                ? bytesSource(file)
                : streamSource(file, undefined),
          fileName: parameters.fileName ?? fileNameOf(file),
        }
  return createModelWithUpload(client, parameters, upload)
}

/** {@link createModel} with the upload's source already built (the Node entry builds one from a path). */
export async function createModelWithUpload(
  client: HubClient,
  parameters: Omit<CreateModelParameters, 'file' | 'fileName'>,
  upload: { source: UploadSource; fileName: string } | undefined,
): Promise<CreateModelReturnType> {
  const url = joinUrl(client.baseUrl, '/models/')
  const { body } = await hubJson(client, {
    method: 'POST',
    url,
    label: 'Model creation',
    json: { name: parameters.name, description: parameters.description },
    auth: 'required',
    idempotent: false,
    signal: parameters.signal,
  })
  const name = (body as { name?: unknown } | undefined)?.name
  if (typeof name !== 'string' || !name) {
    throw new HttpError("Model creation failed: the answer has no 'name'.", {
      url,
      method: 'POST',
      body,
    })
  }
  const created = [`The repository "${name}" was created.`]
  const { versionString } = await createVersion(client, {
    model: name,
    notes: parameters.notes ?? 'Initial version',
    signal: parameters.signal,
  }).catch((error: unknown) => Promise.reject(withContext(error, created)))
  if (upload === undefined) return { name, initialVersion: versionString }
  if (versionString === undefined) {
    throw new HttpError('Model creation failed: the hub did not say which version it created.', {
      url,
      method: 'POST',
      metaMessages: [...created, 'Upload the file with uploadFile once the version is known.'],
    })
  }
  const uploaded = await uploadSource(client, {
    model: name,
    version: versionString,
    source: upload.source,
    fileName: upload.fileName,
    onProgress: parameters.onProgress,
    signal: parameters.signal,
  }).catch((error: unknown) =>
    Promise.reject(withContext(error, [`${created[0]} Its version ${versionString} was created.`])),
  )
  return { name, initialVersion: versionString, upload: uploaded }
}

/** Adds what was already done to an error, so the caller knows what to resume. */
function withContext(error: unknown, lines: readonly string[]): unknown {
  if (error instanceof HttpError && error.status !== undefined) {
    const ErrorClass = error.constructor as typeof HttpError
    return new ErrorClass(error.shortMessage, {
      status: error.status,
      url: error.url,
      method: error.method,
      detail: error.detail,
      body: error.body,
      cause: error,
      metaMessages: lines,
    })
  }
  return error
}

/** A File's name, else the default. */
function fileNameOf(file: unknown): string {
  const name = (file as { name?: unknown }).name
  return typeof name === 'string' && name ? name : 'model.onnx'
}
