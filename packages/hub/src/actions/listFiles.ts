import {
  type AuthErrorType,
  HttpError,
  type HttpErrorType,
  type InvalidInputErrorType,
  type NotFoundErrorType,
  type TimeoutErrorType,
} from '@opengradient/core'
import type { HubClient } from '../client/createHubClient.js'
import { hubJson } from '../utils/request.js'
import { joinUrl, pathSegment } from '../utils/url.js'

export type ListFilesParameters = {
  /** The repository's name. */
  model: string
  version: string
  signal?: AbortSignal | undefined
}

/** A file of a version as the hub lists it; fields beyond `name` and `size` vary. */
export type HubFile = {
  name: string
  /** Size in bytes. */
  size: number
  /** The file's IPFS content id, when the hub says. */
  ipfsCid?: string | undefined
  [field: string]: unknown
}

export type ListFilesReturnType = HubFile[]

export type ListFilesErrorType =
  | AuthErrorType
  | NotFoundErrorType
  | HttpErrorType
  | TimeoutErrorType
  | InvalidInputErrorType

/**
 * Lists the files of a version (`GET /models/{model}/versions/{version}/files`). Retried on
 * 408, 429, 5xx and network failures.
 *
 * @example
 * ```ts
 * import { listFiles } from '@opengradient/hub'
 *
 * for (const file of await listFiles(hub, { model: 'my-model', version: '0.01' })) {
 *   console.log(file.name, file.size, file.ipfsCid)
 * }
 * ```
 */
export async function listFiles(
  client: HubClient,
  parameters: ListFilesParameters,
): Promise<ListFilesReturnType> {
  const url = joinUrl(
    client.baseUrl,
    `/models/${pathSegment(parameters.model, 'model name')}/versions/${pathSegment(parameters.version, 'version')}/files`,
  )
  const { body } = await hubJson(client, {
    method: 'GET',
    url,
    label: 'File listing',
    auth: 'required',
    idempotent: true,
    signal: parameters.signal,
  })
  if (!Array.isArray(body)) {
    throw new HttpError('File listing failed: the answer is not a JSON array.', {
      url,
      method: 'GET',
      body,
    })
  }
  return body as HubFile[]
}
