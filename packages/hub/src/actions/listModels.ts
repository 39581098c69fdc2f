import { HttpError, type HttpErrorType, type TimeoutErrorType } from '@opengradient/core'
import type { HubClient } from '../client/createHubClient.js'
import { hubJson } from '../utils/request.js'
import { joinUrl } from '../utils/url.js'

export type ListModelsParameters = {
  /** Page number, from 1. */
  page?: number | undefined
  /** Models per page. */
  limit?: number | undefined
  signal?: AbortSignal | undefined
}

/** A model repository as the hub describes it; only `name` is certain. */
export type HubModel = {
  name: string
  description?: string | undefined
  [field: string]: unknown
}

export type ListModelsReturnType = HubModel[]

export type ListModelsErrorType = HttpErrorType | TimeoutErrorType

/**
 * Lists model repositories (`GET /models/?page=&limit=`). The hub answers an array or
 * `{ models: [...] }`; both give an array.
 *
 * Experimental: the reference SDK has no such call; the route is the one public listings use.
 * The bearer token is sent when the client is signed in.
 *
 * @example
 * ```ts
 * import { listModels } from '@opengradient/hub'
 *
 * const models = await listModels(hub, { page: 1, limit: 20 })
 * ```
 */
export async function listModels(
  client: HubClient,
  parameters: ListModelsParameters = {},
): Promise<ListModelsReturnType> {
  const url = joinUrl(client.baseUrl, '/models/')
  const { body } = await hubJson(client, {
    method: 'GET',
    url,
    label: 'Model listing',
    searchParams: { page: parameters.page, limit: parameters.limit },
    auth: 'optional',
    idempotent: true,
    signal: parameters.signal,
  })
  const models = Array.isArray(body) ? body : (body as { models?: unknown } | undefined)?.models
  if (!Array.isArray(models)) {
    throw new HttpError('Model listing failed: the answer is not a list of models.', {
      url,
      method: 'GET',
      body,
    })
  }
  return models as HubModel[]
}
