import { basename } from 'node:path'
import {
  type CreateModelParameters as BaseCreateModelParameters,
  createModel as baseCreateModel,
  type CreateModelReturnType,
  createModelWithUpload,
} from '../actions/createModel.js'
import type { HubClient } from '../client/createHubClient.js'
import { fileSource } from './fileSource.js'

export type CreateModelParameters = Omit<BaseCreateModelParameters, 'file'> & {
  /** A file path, or anything {@link baseCreateModel | createModel} takes. */
  file?: string | BaseCreateModelParameters['file']
}

export type { CreateModelReturnType }

/**
 * {@link baseCreateModel | createModel} whose `file` may be a path: a missing file fails
 * before the repository is created, and the file is streamed from disk.
 *
 * @example
 * ```ts
 * import { createModel } from '@opengradient/hub/node'
 *
 * const { initialVersion, upload } = await createModel(hub, {
 *   name: 'my-model',
 *   description: 'demo',
 *   file: './model.onnx',
 * })
 * ```
 */
export async function createModel(
  client: HubClient,
  parameters: CreateModelParameters,
): Promise<CreateModelReturnType> {
  const { file, ...rest } = parameters
  if (typeof file !== 'string') return baseCreateModel(client, { ...rest, file })
  const source = await fileSource(file)
  return createModelWithUpload(client, rest, {
    source,
    fileName: rest.fileName ?? basename(file),
  })
}
