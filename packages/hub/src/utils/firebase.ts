// Firebase Authentication's REST calls: email/password sign-in and token refresh.
import { AuthError, HttpError } from '@opengradient/core'
import { isHTTPError, type Options } from 'ky'
import type { HubClient } from '../client/createHubClient.js'
import type { HubSession } from '../client/hubAuth.js'
import { retryOptions, toHubError } from './request.js'

/** The sign-in endpoint shape: `v1` `accounts:signInWithPassword`, or the `legacy` v3 `verifyPassword`. */
export type SignInApi = 'v1' | 'legacy'

const googleEndpoints = {
  signIn: 'https://identitytoolkit.googleapis.com/v1/accounts:signInWithPassword',
  signInLegacy: 'https://www.googleapis.com/identitytoolkit/v3/relyingparty/verifyPassword',
  refresh: 'https://securetoken.googleapis.com/v1/token',
} as const

/**
 * The URL of a Firebase Authentication endpoint. With an `authUrl` (an emulator such as the
 * devnet's), Google's host becomes the first path segment under it, as the Firebase emulator
 * lays out its routes: `<authUrl>/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword`.
 */
export function firebaseEndpoint(
  client: Pick<HubClient, 'authUrl' | 'apiKey'>,
  endpoint: keyof typeof googleEndpoints,
): string {
  const google = googleEndpoints[endpoint]
  if (client.authUrl === undefined && client.apiKey === undefined) {
    throw new AuthError('Signing in to the Model Hub needs the Firebase web API key.', {
      metaMessages: [
        'Pass apiKey to createHubClient (the hub web app’s Firebase key), or authUrl for an emulator.',
      ],
    })
  }
  const base =
    client.authUrl === undefined
      ? google
      : `${client.authUrl.replace(/\/+$/, '')}/${google.slice('https://'.length)}`
  return client.apiKey === undefined ? base : `${base}?key=${encodeURIComponent(client.apiKey)}`
}

/** What the sign-in endpoints answer (both shapes have these fields). */
export type FirebaseSignInResponse = {
  kind?: string | undefined
  localId: string
  email: string
  displayName?: string | undefined
  idToken: string
  registered?: boolean | undefined
  refreshToken: string
  /** Seconds, as a string. */
  expiresIn: string
}

/** Messages for the error codes Firebase answers a sign-in with. */
const signInMessages: Readonly<Record<string, string>> = {
  EMAIL_NOT_FOUND: 'no account has this email address',
  INVALID_PASSWORD: 'the password is wrong',
  INVALID_LOGIN_CREDENTIALS: 'the email address or the password is wrong',
  USER_DISABLED: 'the account is disabled',
  INVALID_EMAIL: 'the email address is not valid',
  MISSING_PASSWORD: 'no password was given',
  MISSING_EMAIL: 'no email address was given',
  TOO_MANY_ATTEMPTS_TRY_LATER: 'too many attempts; try again later',
  TOKEN_EXPIRED: 'the session was revoked; sign in again',
  INVALID_REFRESH_TOKEN: 'the session was revoked; sign in again',
  USER_NOT_FOUND: 'the account no longer exists',
}

/**
 * Signs in with email and password. Failures are `AuthError`s whose `detail` is Firebase's
 * error code (`INVALID_LOGIN_CREDENTIALS`, `USER_DISABLED`…).
 */
export async function signInWithPassword(
  client: HubClient,
  parameters: { email: string; password: string; signal?: AbortSignal | undefined },
): Promise<FirebaseSignInResponse> {
  const url = firebaseEndpoint(client, client.signInApi === 'legacy' ? 'signInLegacy' : 'signIn')
  const body = await firebaseCall(client, {
    url,
    label: 'Sign-in',
    options: {
      json: { email: parameters.email, password: parameters.password, returnSecureToken: true },
    },
    signal: parameters.signal,
  })
  const response = body as Partial<FirebaseSignInResponse> | undefined
  if (typeof response?.idToken !== 'string' || typeof response.refreshToken !== 'string') {
    throw new HttpError('Sign-in failed: the answer has no idToken or refreshToken.', {
      url,
      method: 'POST',
    })
  }
  return response as FirebaseSignInResponse
}

/**
 * Exchanges a refresh token for a new ID token (the securetoken `/v1/token` call, form
 * encoded). The refresh token is replaced by the one returned.
 */
export async function refreshSession(
  client: HubClient,
  parameters: { session: HubSession; signal?: AbortSignal | undefined },
): Promise<HubSession> {
  const { session } = parameters
  const url = firebaseEndpoint(client, 'refresh')
  const started = Date.now()
  const body = (await firebaseCall(client, {
    url,
    label: 'Token refresh',
    options: {
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: session.refreshToken ?? '',
      }),
    },
    signal: parameters.signal,
  })) as { id_token?: unknown; refresh_token?: unknown; expires_in?: unknown; user_id?: unknown }
  if (typeof body?.id_token !== 'string') {
    throw new HttpError('Token refresh failed: the answer has no id_token.', {
      url,
      method: 'POST',
    })
  }
  return {
    ...session,
    idToken: body.id_token,
    refreshToken:
      typeof body.refresh_token === 'string' ? body.refresh_token : session.refreshToken,
    expiresAt: started + expiresInMs(body.expires_in),
    ...(typeof body.user_id === 'string' ? { localId: body.user_id } : {}),
  }
}

/** `expiresIn` is a string of seconds; anything unreadable counts as one hour. */
export function expiresInMs(expiresIn: unknown): number {
  const seconds = Number(expiresIn)
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3_600_000
}

async function firebaseCall(
  client: HubClient,
  parameters: {
    url: string
    label: string
    options: Options
    signal?: AbortSignal | undefined
  },
): Promise<unknown> {
  const { url, label, signal } = parameters
  try {
    // Sign-in and refresh change nothing on the server, so they are retried like reads.
    return await client
      .ky(url, {
        method: 'POST',
        timeout: client.timeout,
        retry: retryOptions(client),
        ...(signal ? { signal } : {}),
        ...parameters.options,
      })
      .json()
  } catch (error) {
    if (isHTTPError(error) && error.response.status === 400) {
      const text = await error.response.text().catch(() => '')
      const code = firebaseErrorCode(text)
      const reason = code === undefined ? undefined : signInMessages[code.split(/\s|:/)[0]!]
      throw new AuthError(
        `${label} failed: ${reason ?? (code ? `Firebase answered ${code}` : 'the request was refused')}.`,
        { status: 400, url, method: 'POST', detail: code, cause: error },
      )
    }
    throw await toHubError(error, { label, url, method: 'POST', signal }, client)
  }
}

function firebaseErrorCode(text: string): string | undefined {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message
    return typeof message === 'string' && message ? message : undefined
  } catch {
    return undefined
  }
}
