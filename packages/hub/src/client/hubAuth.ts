// The sign-in state of a hub client: the session's tokens, proactive refresh, or an injected
// token provider.
import { AuthError } from '@opengradient/core'

/**
 * A signed-in session: what `login` returns, in the form a client keeps (and a caller may
 * store and pass back to `createHubClient`).
 */
export type HubSession = {
  /** The Firebase ID token sent as the bearer token. */
  idToken: string
  /** Exchanged for a new ID token before this one expires. */
  refreshToken?: string | undefined
  /** When the ID token expires, in milliseconds since the epoch. */
  expiresAt: number
  /** The Firebase user id. */
  localId?: string | undefined
  email?: string | undefined
}

/**
 * Supplies ID tokens for callers who manage their own Firebase session. `forceRefresh` is
 * true after the hub refused the previous token.
 */
export type HubTokenProvider = (parameters: {
  forceRefresh: boolean
  signal?: AbortSignal | undefined
}) => Promise<string>

/** The sign-in state a hub client holds. */
export type HubAuth = {
  /** The current session, if signed in with email and password (or given one). */
  readonly session: HubSession | undefined
  /** Whether a token can be had without signing in: a session or a token provider. */
  readonly signedIn: boolean
  /** Replaces the session (after a sign-in) or clears it. */
  setSession(session: HubSession | undefined): void
  /**
   * A valid ID token: refreshed first when it expires within the refresh margin, or when
   * `forceRefresh` is set (after a 401). Concurrent callers share one refresh.
   */
  getIdToken(parameters?: {
    forceRefresh?: boolean | undefined
    /** The token the hub refused; no refresh happens when the session has moved on already. */
    refusedToken?: string | undefined
    signal?: AbortSignal | undefined
  }): Promise<string>
}

export type CreateHubAuthParameters = {
  initial?: HubSession | HubTokenProvider | undefined
  /** Exchanges a refresh token for a new session (the securetoken `/v1/token` call). */
  refresh: (parameters: {
    session: HubSession
    signal?: AbortSignal | undefined
  }) => Promise<HubSession>
  /** Called after every sign-in and refresh, and when the session is cleared. */
  onSessionChange?: ((session: HubSession | undefined) => void) | undefined
  /** Milliseconds before expiry at which a token is refreshed. @default 60_000 */
  refreshMargin?: number | undefined
}

/**
 * Creates the sign-in state of a hub client.
 *
 * @example
 * ```ts
 * const auth = createHubAuth({ initial: savedSession, refresh: (p) => refreshSession(client, p) })
 * const token = await auth.getIdToken()
 * ```
 */
export function createHubAuth(parameters: CreateHubAuthParameters): HubAuth {
  const provider = typeof parameters.initial === 'function' ? parameters.initial : undefined
  let session = typeof parameters.initial === 'object' ? parameters.initial : undefined
  const refreshMargin = parameters.refreshMargin ?? 60_000
  let refreshing: Promise<HubSession> | undefined

  function setSession(next: HubSession | undefined) {
    session = next
    parameters.onSessionChange?.(next)
  }

  function refresh(current: HubSession, signal: AbortSignal | undefined): Promise<HubSession> {
    refreshing ??= parameters
      .refresh({ session: current, signal })
      .then((next) => {
        // A sign-in during the refresh wins over the refreshed old session.
        if (session === current) setSession(next)
        return session ?? next
      })
      .finally(() => {
        refreshing = undefined
      })
    return refreshing
  }

  return {
    get session() {
      return session
    },
    get signedIn() {
      return provider !== undefined || session !== undefined
    },
    setSession,
    async getIdToken(options = {}) {
      if (provider)
        return provider({ forceRefresh: options.forceRefresh ?? false, signal: options.signal })
      const current = session
      if (!current) {
        throw new AuthError('Not signed in to the Model Hub.', {
          metaMessages: [
            'Call login({ email, password }) first, or pass a session or token provider as auth.',
          ],
        })
      }
      if (options.forceRefresh && options.refusedToken !== undefined) {
        if (current.idToken !== options.refusedToken) return current.idToken
      } else if (!options.forceRefresh && Date.now() < current.expiresAt - refreshMargin) {
        return current.idToken
      }
      if (!current.refreshToken) {
        throw new AuthError('The Model Hub session expired and has no refresh token.', {
          metaMessages: ['Sign in again with login({ email, password }).'],
        })
      }
      return (await refresh(current, options.signal)).idToken
    },
  }
}
