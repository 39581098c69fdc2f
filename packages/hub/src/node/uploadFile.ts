import { basename } from 'node:path'
import { InvalidInputError } from '@opengradient/core'
import {
  type UploadFileParameters as BaseUploadFileParameters,
  uploadFile as baseUploadFile,
  type UploadFileReturnType,
  uploadSource,
} from '../actions/uploadFile.js'
import type { HubClient } from '../client/createHubClient.js'
import { fileSource } from './fileSource.js'

export type UploadFileParameters = BaseUploadFileParameters & {
  /** A file on disk, streamed with a file stream; instead of `file`, `data` or `stream`. */
  path?: string | undefined
}

export type { UploadFileReturnType }

/**
 * {@link baseUploadFile | uploadFile} that also takes a file path: the file is streamed from
 * disk in 1 MiB chunks (constant memory for any size), its size sent as `Content-Length`, and
 * its base name used as the file name. A missing file fails before any request.
 *
 * @example
 * ```ts
 * import { createHubClient } from '@opengradient/hub'
 * import { uploadFile } from '@opengradient/hub/node'
 *
 * const { modelCid } = await uploadFile(hub, { model: 'my-model', version: '0.01', path: './model.onnx' })
 * ```
 */
export async function uploadFile(
  client: HubClient,
  parameters: UploadFileParameters,
): Promise<UploadFileReturnType> {
  const { path, ...rest } = parameters
  if (path === undefined) return baseUploadFile(client, rest)
  if (rest.file !== undefined || rest.data !== undefined || rest.stream !== undefined) {
    throw new InvalidInputError('Pass exactly one of path, file, data and stream to uploadFile.')
  }
  return uploadSource(client, {
    model: rest.model,
    version: rest.version,
    source: await fileSource(path),
    fileName: rest.fileName ?? basename(path),
    onProgress: rest.onProgress,
    signal: rest.signal,
  })
}
