import type { AuthErrorType, HttpErrorType, TimeoutErrorType } from '@opengradient/core'
import type { HubClient } from '../client/createHubClient.js'
import { expiresInMs, signInWithPassword } from '../utils/firebase.js'

export type LoginParameters = {
  email: string
  /** Sent to the sign-in endpoint only; never stored and never part of an error. */
  password: string
  signal?: AbortSignal | undefined
}

export type LoginReturnType = {
  /** The Firebase ID token, sent as the bearer token. */
  idToken: string
  refreshToken: string
  /** Seconds the ID token is valid for (Firebase's `expiresIn`, as a number). */
  expiresIn: number
  /** When the ID token expires, in milliseconds since the epoch. */
  expiresAt: number
  /** The Firebase user id. */
  localId: string
  email: string
}

export type LoginErrorType = AuthErrorType | HttpErrorType | TimeoutErrorType

/**
 * Signs in to the Model Hub with email and password (Firebase Authentication) and keeps the
 * session on the client: later calls send its ID token and refresh it 60 s before it expires.
 *
 * The reference SDK signed in inside its constructor and its module-level `login` called a
 * method that did not exist; here sign-in is this explicit call. A refusal is an `AuthError`
 * whose `detail` is Firebase's code (`INVALID_LOGIN_CREDENTIALS`, `USER_DISABLED`…).
 *
 * @example
 * ```ts
 * import { createHubClient, login } from '@opengradient/hub'
 *
 * const hub = createHubClient({ apiKey })
 * const { localId, expiresIn } = await login(hub, { email: 'me@example.com', password })
 * ```
 */
export async function login(
  client: HubClient,
  parameters: LoginParameters,
): Promise<LoginReturnType> {
  const started = Date.now()
  const response = await signInWithPassword(client, parameters)
  const expiresIn = expiresInMs(response.expiresIn) / 1000
  const result: LoginReturnType = {
    idToken: response.idToken,
    refreshToken: response.refreshToken,
    expiresIn,
    expiresAt: started + expiresIn * 1000,
    localId: response.localId,
    email: response.email ?? parameters.email,
  }
  client.auth.setSession({
    idToken: result.idToken,
    refreshToken: result.refreshToken,
    expiresAt: result.expiresAt,
    localId: result.localId,
    email: result.email,
  })
  return result
}
