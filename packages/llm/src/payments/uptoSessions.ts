// Where an `upto` session id lives between requests: one per method and resource, as the
// gateway's x402 fork keys them, so a second chat reuses the first one's spending cap.
import type { PaymentDetails } from '@opengradient/core'

/** A stored `upto` session: its id and the payment that opened it. */
export type UptoSession = {
  id: string
  payment: PaymentDetails
}

/**
 * Stores `upto` session ids by resource key (see {@link uptoSessionKey}). The default keeps them
 * in memory for the client's lifetime; pass your own to share sessions between clients.
 */
export type UptoSessionStore = {
  get(key: string): UptoSession | undefined
  set(key: string, session: UptoSession): void
  delete(key: string): void
}

/**
 * Creates the in-memory session store a payment-enabled client uses by default.
 *
 * @example
 * ```ts
 * const sessions = createUptoSessionStore()
 * const client = createLlmClient({ account, payment: { sessions } })
 * ```
 */
export function createUptoSessionStore(): UptoSessionStore {
  const sessions = new Map<string, UptoSession>()
  return {
    get: (key) => sessions.get(key),
    set: (key, session) => void sessions.set(key, session),
    delete: (key) => void sessions.delete(key),
  }
}

/**
 * The key a session is stored under: `"<METHOD> <scheme>://<host[:port]><path>"`, without the
 * query, the path's trailing `/` trimmed except for the root.
 *
 * @example
 * ```ts
 * uptoSessionKey('post', 'https://10.0.0.1/v1/chat/completions/?x=1')
 * // 'POST https://10.0.0.1/v1/chat/completions'
 * ```
 */
export function uptoSessionKey(method: string, url: string): string {
  const parsed = new URL(url)
  const path = parsed.pathname.length > 1 ? parsed.pathname.replace(/\/+$/, '') || '/' : '/'
  return `${method.toUpperCase()} ${parsed.protocol}//${parsed.host}${path}`
}
