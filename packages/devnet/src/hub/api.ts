// The Model Hub REST API under /api/v0: the real hub's paths, methods, bodies and status codes.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Route } from '../front/server.js'
import type { ModelStore } from '../models/store.js'
import { drain, RequestBodyError, readJsonBody, refuseEarly, sendJson } from './http.js'
import { MultipartError, multipartBoundary, readMultipartFile } from './multipart.js'
import type { HubModelRecord, HubRegistry, HubVersionRecord } from './registry.js'
import type { IdTokenClaims, TokenIssuer } from './tokens.js'

/** The path prefix of the REST API. */
export const hubApiPrefix = '/api/v0'

/**
 * A request header the devnet hub answers with a chosen error status (400–599) instead of
 * doing the work, so clients can test their error handling: `x-og-devnet-fault: 500`. An
 * upload is read to its end first, as a server failing at the end of an upload would be.
 */
export const faultHeader = 'x-og-devnet-fault'

type Caller = IdTokenClaims

/**
 * The route of the devnet's Model Hub API.
 *
 * - `POST /models/` (the trailing slash matters; without it the answer is a 307 to it, as the
 *   real hub's framework does), `GET /models/`, `GET /models/{name}`
 * - `POST /models/{name}/versions` (`{"notes", "is_major"}` → 201 `{"versionString"}`),
 *   `GET /models/{name}/versions`
 * - `POST /models/{name}/versions/{version}/files` (multipart, part `file`) → 201
 *   `{"ipfsCid", "size"}`; the bytes go to the model store, usable by `infer` at once
 * - `GET /models/{name}/versions/{version}/files` → `[{"name", "size", "ipfsCid", "createdAt"}]`
 *
 * Errors are `{"detail": "<message>"}`. Everything but the two public listings needs a bearer
 * ID token of the devnet's sign-in service; versions and uploads need the repository's owner.
 */
export function createHubApiRoute(parameters: {
  registry: HubRegistry
  tokens: TokenIssuer
  models: ModelStore
}): Route {
  const { registry, tokens, models } = parameters

  return async (request, response, url) => {
    if (url.pathname !== hubApiPrefix && !url.pathname.startsWith(`${hubApiPrefix}/`)) return false
    const method = request.method ?? 'GET'
    let segments: string[]
    try {
      segments = url.pathname.slice(hubApiPrefix.length).split('/').map(decodeURIComponent)
    } catch {
      refuseEarly(request, response, 400, { detail: 'The path is not valid percent-encoding.' })
      return true
    }
    const [, collection, name, versions, version, files, ...rest] = segments

    try {
      if (collection !== 'models' || rest.length > 0) return notFound(request, response)

      // /models: the framework redirects to the route with its trailing slash.
      if (name === undefined) {
        refuseEarly(
          request,
          response,
          307,
          { detail: 'Use /models/.' },
          { location: `${hubApiPrefix}/models/${url.search}` },
        )
        return true
      }

      if (name === '' && versions === undefined) {
        if (method === 'POST') return await createModel(request, response)
        if (method === 'GET') return listModels(response, url)
        return notAllowed(request, response)
      }
      if (name === '') return notFound(request, response)

      if (versions === undefined) {
        if (method !== 'GET') return notAllowed(request, response)
        const model = registry.getModel(name)
        if (!model) return modelNotFound(request, response, name)
        sendJson(response, 200, modelJson(model))
        return true
      }
      if (versions !== 'versions') return notFound(request, response)

      if (version === undefined) {
        if (method === 'POST') return await createVersion(request, response, name)
        if (method === 'GET') {
          const caller = authenticate(request, response)
          if (!caller) return true
          const model = registry.getModel(name)
          if (!model) return modelNotFound(request, response, name)
          sendJson(response, 200, [...model.versions.values()].map(versionJson))
          return true
        }
        return notAllowed(request, response)
      }
      if (files !== 'files') return notFound(request, response)
      if (method === 'POST') return await uploadFile(request, response, name, version)
      if (method === 'GET') return listFiles(request, response, name, version)
      return notAllowed(request, response)
    } catch (error) {
      if (error instanceof RequestBodyError) {
        sendJson(response, error.status, { detail: error.message })
        return true
      }
      if (response.headersSent) response.destroy(error as Error)
      else sendJson(response, 500, { detail: 'Internal server error' })
      return true
    }
  }

  /** The caller of a request, or `undefined` after answering 401. */
  function authenticate(request: IncomingMessage, response: ServerResponse): Caller | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')
    const verified = match ? tokens.verifyIdToken(match[1]!) : undefined
    if (verified && 'claims' in verified) return verified.claims
    const detail =
      verified === undefined
        ? 'Not authenticated'
        : verified.error === 'expired'
          ? 'Token expired'
          : 'Invalid authentication credentials'
    refuseEarly(request, response, 401, { detail }, { 'www-authenticate': 'Bearer' })
    return undefined
  }

  /** Answers an injected fault, if the request asks for one. */
  async function injectedFault(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<boolean> {
    const status = Number(request.headers[faultHeader])
    if (!Number.isInteger(status) || status < 400 || status > 599) return false
    // Read to the end, as a server failing after the upload would.
    await drain(request)
    sendJson(response, status, {
      detail:
        status === 500 ? 'Internal server error' : `Fault injected by the devnet (${faultHeader}).`,
    })
    return true
  }

  async function createModel(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const caller = authenticate(request, response)
    if (!caller) return true
    if (await injectedFault(request, response)) return true
    const body = (await readJsonBody(request)) as
      | { name?: unknown; description?: unknown }
      | undefined
    const name = body?.name
    if (typeof name !== 'string' || name.trim() === '') {
      sendJson(response, 422, { detail: 'name: a non-empty string is required' })
      return true
    }
    if (name.length > 200 || hasControlCharacter(name) || name === '.' || name === '..') {
      sendJson(response, 422, { detail: 'name: use at most 200 printable characters' })
      return true
    }
    const description = typeof body?.description === 'string' ? body.description : ''
    const model = await registry.createModel({
      name,
      description,
      author: caller.email,
      authorId: caller.user_id,
    })
    if (!model) {
      sendJson(response, 409, { detail: `Model '${name}' already exists` })
      return true
    }
    sendJson(response, 201, modelJson(model))
    return true
  }

  function listModels(response: ServerResponse, url: URL): boolean {
    const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1)
    const limit = Math.min(
      1000,
      Math.max(1, Number.parseInt(url.searchParams.get('limit') ?? '100', 10) || 100),
    )
    const all = registry.listModels()
    sendJson(response, 200, all.slice((page - 1) * limit, page * limit).map(modelJson))
    return true
  }

  async function createVersion(
    request: IncomingMessage,
    response: ServerResponse,
    name: string,
  ): Promise<boolean> {
    const caller = authenticate(request, response)
    if (!caller) return true
    const model = ownedModel(request, response, caller, name)
    if (!model) return true
    if (await injectedFault(request, response)) return true
    const body = (await readJsonBody(request)) as
      | { notes?: unknown; is_major?: unknown }
      | undefined
    const notes = typeof body?.notes === 'string' ? body.notes : null
    if (body?.is_major !== undefined && typeof body.is_major !== 'boolean') {
      sendJson(response, 422, { detail: 'is_major: a boolean is required' })
      return true
    }
    const version = await registry.createVersion({ model, notes, isMajor: body?.is_major === true })
    sendJson(response, 201, versionJson(version))
    return true
  }

  async function uploadFile(
    request: IncomingMessage,
    response: ServerResponse,
    name: string,
    versionString: string,
  ): Promise<boolean> {
    const caller = authenticate(request, response)
    if (!caller) return true
    const model = ownedModel(request, response, caller, name)
    if (!model) return true
    const version = model.versions.get(versionString)
    if (!version) {
      refuseEarly(request, response, 404, {
        detail: `Version '${versionString}' of model '${name}' not found`,
      })
      return true
    }
    const boundary = multipartBoundary(request.headers['content-type'])
    if (!boundary) {
      refuseEarly(request, response, 400, {
        detail: 'The body must be multipart/form-data with a boundary.',
      })
      return true
    }
    if (await injectedFault(request, response)) return true

    // A client that goes away mid-upload cancels the store's write: nothing of it is kept.
    const disconnected = new AbortController()
    const onClose = () => {
      if (!request.complete) disconnected.abort(new Error('The client disconnected.'))
    }
    request.on('close', onClose)
    try {
      const part = await readMultipartFile(request, boundary, 'file')
      if (!part) {
        sendJson(response, 400, { detail: "The body has no part named 'file'." })
        return true
      }
      const fileName = part.fileName || 'file'
      const stored = await models.add(part.content, { name: fileName, signal: disconnected.signal })
      const file = await registry.addFile({
        model,
        version,
        name: fileName,
        size: stored.size,
        ipfsCid: stored.cid,
      })
      // Whatever follows the closing boundary (an epilogue) is read and dropped.
      request.resume()
      sendJson(response, 201, { ipfsCid: file.ipfsCid, size: file.size })
    } catch (error) {
      if (disconnected.signal.aborted || request.destroyed) {
        response.destroy()
        return true
      }
      if (error instanceof MultipartError)
        refuseEarly(request, response, 400, { detail: error.message })
      else throw error
    } finally {
      request.off('close', onClose)
    }
    return true
  }

  function listFiles(
    request: IncomingMessage,
    response: ServerResponse,
    name: string,
    versionString: string,
  ): boolean {
    const caller = authenticate(request, response)
    if (!caller) return true
    const model = registry.getModel(name)
    if (!model) return modelNotFound(request, response, name)
    const version = model.versions.get(versionString)
    if (!version) {
      sendJson(response, 404, { detail: `Version '${versionString}' of model '${name}' not found` })
      return true
    }
    sendJson(
      response,
      200,
      [...version.files.values()].map((file) => ({
        name: file.name,
        size: file.size,
        ipfsCid: file.ipfsCid,
        createdAt: file.createdAt,
      })),
    )
    return true
  }

  /** The repository, if the caller owns it; else answers 404 or 403. */
  function ownedModel(
    request: IncomingMessage,
    response: ServerResponse,
    caller: Caller,
    name: string,
  ): HubModelRecord | undefined {
    const model = registry.getModel(name)
    if (!model) {
      modelNotFound(request, response, name)
      return undefined
    }
    if (model.authorId !== caller.user_id) {
      refuseEarly(request, response, 403, { detail: `Model '${name}' belongs to another user` })
      return undefined
    }
    return model
  }
}

function modelJson(model: HubModelRecord) {
  return {
    name: model.name,
    description: model.description,
    author: model.author,
    createdAt: model.createdAt,
    versions: [...model.versions.values()].map(versionJson),
  }
}

function versionJson(version: HubVersionRecord) {
  return {
    versionString: version.versionString,
    notes: version.notes,
    isMajor: version.isMajor,
    createdAt: version.createdAt,
    fileCount: version.files.size,
  }
}

function modelNotFound(request: IncomingMessage, response: ServerResponse, name: string): true {
  refuseEarly(request, response, 404, { detail: `Model '${name}' not found` })
  return true
}

function notFound(request: IncomingMessage, response: ServerResponse): true {
  refuseEarly(request, response, 404, { detail: 'Not Found' })
  return true
}

function notAllowed(request: IncomingMessage, response: ServerResponse): true {
  refuseEarly(request, response, 405, { detail: 'Method Not Allowed' })
  return true
}

/** True when the text holds a C0 control character or DEL. */
function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x20 || code === 0x7f) return true
  }
  return false
}
