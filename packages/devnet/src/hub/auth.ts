// A Firebase Authentication stand-in: email/password sign-in and token refresh with the exact
// request and answer shapes of Google's endpoints.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Route } from '../front/server.js'
import { RequestBodyError, sendJson } from './http.js'
import { devnetProjectId, type TokenIssuer } from './tokens.js'
import { type HubUser, readHubUsers, verifyPassword } from './users.js'

/** The path prefix of the sign-in service; the hub client's `authUrl` is `<rpcUrl>` + this. */
export const firebaseAuthPrefix = '/firebase'

/**
 * The sign-in service's routes, laid out like the Firebase Auth emulator's (Google's host as
 * the first path segment):
 *
 * - `POST /firebase/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword`
 * - `POST /firebase/www.googleapis.com/identitytoolkit/v3/relyingparty/verifyPassword` (legacy)
 * - `POST /firebase/securetoken.googleapis.com/v1/token` (form-encoded or JSON refresh)
 *
 * Accounts are those of `og devnet users add`, read from the data directory at each sign-in.
 * Any `key` query parameter is accepted.
 */
export function createFirebaseAuthRoute(parameters: {
  dataDir: string
  tokens: TokenIssuer
  /** Seconds ID tokens live unless the account sets its own. */
  tokenLifetime: number
}): Route {
  const { dataDir, tokens } = parameters

  return async (request, response, url) => {
    if (!url.pathname.startsWith(`${firebaseAuthPrefix}/`)) return false
    const path = url.pathname.slice(firebaseAuthPrefix.length)
    const signIn =
      path === '/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword' ||
      path === '/www.googleapis.com/identitytoolkit/v3/relyingparty/verifyPassword'
    const refresh = path === '/securetoken.googleapis.com/v1/token'
    if (!signIn && !refresh) {
      sendJson(response, 404, googleError(404, 'NOT_FOUND'))
      return true
    }
    if (request.method !== 'POST') {
      sendJson(response, 405, googleError(405, 'METHOD_NOT_ALLOWED'))
      return true
    }
    try {
      const body = await readFormOrJson(request)
      if (signIn) await handleSignIn(response, body)
      else await handleRefresh(response, body)
    } catch (error) {
      if (!(error instanceof RequestBodyError)) throw error
      sendJson(response, 400, googleError(400, 'INVALID_ARGUMENT'))
    }
    return true
  }

  async function handleSignIn(response: ServerResponse, body: Record<string, unknown>) {
    const email = typeof body.email === 'string' ? body.email.trim() : ''
    const password = typeof body.password === 'string' ? body.password : ''
    if (!/^[^\s@]+@[^\s@]+$/.test(email))
      return sendJson(response, 400, googleError(400, 'INVALID_EMAIL'))
    if (!password) return sendJson(response, 400, googleError(400, 'MISSING_PASSWORD'))
    const user = (await readHubUsers(dataDir)).get(email.toLowerCase())
    // One code for an unknown email and a wrong password, as projects with email-enumeration
    // protection answer.
    if (!user || !(await verifyPassword(password, user.passwordHash))) {
      return sendJson(response, 400, googleError(400, 'INVALID_LOGIN_CREDENTIALS'))
    }
    if (user.disabled) return sendJson(response, 400, googleError(400, 'USER_DISABLED'))
    const lifetime = lifetimeOf(user)
    sendJson(response, 200, {
      kind: 'identitytoolkit#VerifyPasswordResponse',
      localId: user.localId,
      email: user.email,
      displayName: user.displayName,
      idToken: tokens.issueIdToken(user, lifetime),
      registered: true,
      refreshToken: tokens.issueRefreshToken(user),
      expiresIn: String(lifetime),
    })
  }

  async function handleRefresh(response: ServerResponse, body: Record<string, unknown>) {
    const grantType = body.grant_type ?? body.grantType
    const refreshToken = body.refresh_token ?? body.refreshToken
    if (typeof refreshToken !== 'string' || !refreshToken) {
      return sendJson(response, 400, googleError(400, 'MISSING_REFRESH_TOKEN'))
    }
    if (grantType !== 'refresh_token') {
      return sendJson(response, 400, googleError(400, 'INVALID_GRANT_TYPE'))
    }
    const users = [...(await readHubUsers(dataDir)).values()]
    const user = tokens.verifyRefreshToken(refreshToken, (localId) =>
      users.find((candidate) => candidate.localId === localId),
    )
    if (!user) return sendJson(response, 400, googleError(400, 'INVALID_REFRESH_TOKEN'))
    const lifetime = lifetimeOf(user)
    const idToken = tokens.issueIdToken(user, lifetime)
    sendJson(response, 200, {
      access_token: idToken,
      expires_in: String(lifetime),
      token_type: 'Bearer',
      refresh_token: refreshToken,
      id_token: idToken,
      user_id: user.localId,
      project_id: devnetProjectId,
    })
  }

  function lifetimeOf(user: HubUser): number {
    return user.tokenLifetime ?? parameters.tokenLifetime
  }
}

/** Google's error envelope. */
function googleError(code: number, message: string) {
  return { error: { code, message, errors: [{ message, domain: 'global', reason: 'invalid' }] } }
}

/** A form-encoded or JSON body as a flat record. */
async function readFormOrJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of request) {
    length += (chunk as Buffer).length
    if (length > 64 * 1024) throw new RequestBodyError('The body is too large.', 413)
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (/application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '')) {
    return Object.fromEntries(new URLSearchParams(text))
  }
  if (!text.trim()) return {}
  try {
    const parsed = JSON.parse(text) as unknown
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>
    }
  } catch {}
  throw new RequestBodyError('The body is not a JSON object.', 400)
}
