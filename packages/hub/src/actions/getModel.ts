import {
  HttpError,
  type HttpErrorType,
  type InvalidInputErrorType,
  type NotFoundErrorType,
  type TimeoutErrorType,
} from '@opengradient/core'
import type { HubClient } from '../client/createHubClient.js'
import { hubJson } from '../utils/request.js'
import { joinUrl, pathSegment } from '../utils/url.js'
import type { HubModel } from './listModels.js'

export type GetModelParameters = {
  /** The repository's name. */
  name: string
  /** The author's user name, for hubs where names are unique per author. */
  authorUsername?: string | undefined
  signal?: AbortSignal | undefined
}

export type GetModelReturnType = HubModel

export type GetModelErrorType =
  | NotFoundErrorType
  | HttpErrorType
  | TimeoutErrorType
  | InvalidInputErrorType

/**
 * Reads one model repository (`GET /models/{name}`). Experimental, like {@link listModels}.
 *
 * @example
 * ```ts
 * import { getModel } from '@opengradient/hub'
 *
 * const model = await getModel(hub, { name: 'my-model' })
 * ```
 */
export async function getModel(
  client: HubClient,
  parameters: GetModelParameters,
): Promise<GetModelReturnType> {
  const url = joinUrl(client.baseUrl, `/models/${pathSegment(parameters.name, 'model name')}`)
  const { body } = await hubJson(client, {
    method: 'GET',
    url,
    label: 'Model lookup',
    searchParams: { authorUsername: parameters.authorUsername },
    auth: 'optional',
    idempotent: true,
    signal: parameters.signal,
  })
  if (!body || typeof body !== 'object' || typeof (body as { name?: unknown }).name !== 'string') {
    throw new HttpError("Model lookup failed: the answer has no 'name'.", {
      url,
      method: 'GET',
      body,
    })
  }
  return body as HubModel
}
