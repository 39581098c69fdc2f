import type {
  AuthErrorType,
  HttpErrorType,
  InvalidInputErrorType,
  NotFoundErrorType,
  TimeoutErrorType,
} from '@opengradient/core'
import { HttpError } from '@opengradient/core'
import type { HubClient } from '../client/createHubClient.js'
import { hubJson } from '../utils/request.js'
import { joinUrl, pathSegment } from '../utils/url.js'

export type CreateVersionParameters = {
  /** The repository's name. */
  model: string
  /** Release notes; sent as given (the reference sent its version label here). */
  notes?: string | undefined
  /** A major version (`1.00`) rather than a minor one (`0.02`). @default false */
  isMajor?: boolean | undefined
  signal?: AbortSignal | undefined
}

export type CreateVersionReturnType = {
  /**
   * The version the hub created, e.g. `0.01`; `undefined` when its answer named none (an
   * empty array, or an object without `versionString`).
   */
  versionString: string | undefined
  /** The hub's answer as it came. */
  response: unknown
}

export type CreateVersionErrorType =
  | AuthErrorType
  | NotFoundErrorType
  | HttpErrorType
  | TimeoutErrorType
  | InvalidInputErrorType

/**
 * Creates a new version of a model repository (`POST /models/{model}/versions`). The server
 * picks the version string.
 *
 * Not retried (it is not idempotent). A redirect is an error instead of a confusing parse
 * failure, as it was in the reference SDK.
 *
 * @example
 * ```ts
 * import { createVersion } from '@opengradient/hub'
 *
 * const { versionString } = await createVersion(hub, { model: 'my-model', notes: 'retrained' })
 * ```
 */
export async function createVersion(
  client: HubClient,
  parameters: CreateVersionParameters,
): Promise<CreateVersionReturnType> {
  const url = joinUrl(
    client.baseUrl,
    `/models/${pathSegment(parameters.model, 'model name')}/versions`,
  )
  const { body } = await hubJson(client, {
    method: 'POST',
    url,
    label: 'Version creation',
    json: { notes: parameters.notes ?? null, is_major: parameters.isMajor ?? false },
    auth: 'required',
    idempotent: false,
    signal: parameters.signal,
  })
  if (Array.isArray(body) && body.length === 0) return { versionString: undefined, response: body }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const versionString = (body as { versionString?: unknown }).versionString
    return {
      versionString:
        typeof versionString === 'string' && versionString
          ? versionString
          : typeof versionString === 'number'
            ? String(versionString)
            : undefined,
      response: body,
    }
  }
  throw new HttpError('Version creation failed: the answer is not a JSON object.', {
    url,
    method: 'POST',
    body,
  })
}
