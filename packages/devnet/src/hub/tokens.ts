// ID tokens (JWTs) and refresh tokens of the devnet's sign-in service, signed with a secret
// kept in the data directory so they stay valid across restarts.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { mkdir, open, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { HubUser } from './users.js'

/** The claims of an ID token the hub API reads. */
export type IdTokenClaims = {
  sub: string
  user_id: string
  email: string
  iat: number
  exp: number
}

export type TokenIssuer = {
  /** A JWT (HS256) in the shape of a Firebase ID token. */
  issueIdToken(user: HubUser, lifetimeSeconds: number): string
  /** The token's claims, or why it is refused. */
  verifyIdToken(token: string): { claims: IdTokenClaims } | { error: 'invalid' | 'expired' }
  /** An opaque refresh token, revoked when the user's password changes. */
  issueRefreshToken(user: HubUser): string
  /** The user id a refresh token belongs to, if it is valid for that user's current password. */
  verifyRefreshToken(
    token: string,
    findUser: (localId: string) => HubUser | undefined,
  ): HubUser | undefined
}

/** The project id the devnet's tokens name as audience. */
export const devnetProjectId = 'og-devnet'

/**
 * Loads the signing secret from `file`, creating it (mode 0600) on first use.
 */
export async function loadTokenSecret(file: string): Promise<Buffer> {
  try {
    const text = (await readFile(file, 'utf8')).trim()
    if (/^[0-9a-f]{64}$/.test(text)) return Buffer.from(text, 'hex')
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error
  }
  await mkdir(dirname(file), { recursive: true })
  const secret = randomBytes(32)
  const handle = await open(file, 'w', 0o600)
  try {
    await handle.writeFile(`${secret.toString('hex')}\n`)
    await handle.sync()
  } finally {
    await handle.close()
  }
  return secret
}

/**
 * Creates the token issuer of a devnet hub.
 *
 * @example
 * ```ts
 * const tokens = createTokenIssuer({ secret: await loadTokenSecret(file) })
 * const idToken = tokens.issueIdToken(user, 3600)
 * ```
 */
export function createTokenIssuer(parameters: { secret: Buffer }): TokenIssuer {
  const { secret } = parameters
  const sign = (text: string) => createHmac('sha256', secret).update(text).digest('base64url')
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))

  return {
    issueIdToken(user, lifetimeSeconds) {
      const now = Math.floor(Date.now() / 1000)
      const payload = {
        iss: `https://securetoken.google.com/${devnetProjectId}`,
        aud: devnetProjectId,
        auth_time: now,
        user_id: user.localId,
        sub: user.localId,
        iat: now,
        exp: now + lifetimeSeconds,
        email: user.email,
        email_verified: false,
        firebase: { identities: { email: [user.email] }, sign_in_provider: 'password' },
        jti: randomBytes(9).toString('base64url'),
      }
      const body = `${header}.${base64url(JSON.stringify(payload))}`
      return `${body}.${sign(body)}`
    },
    verifyIdToken(token) {
      const parts = token.split('.')
      if (parts.length !== 3) return { error: 'invalid' }
      const [head, payload, signature] = parts as [string, string, string]
      if (!safeEqual(signature, sign(`${head}.${payload}`))) return { error: 'invalid' }
      let claims: IdTokenClaims
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as IdTokenClaims
      } catch {
        return { error: 'invalid' }
      }
      if (typeof claims.exp !== 'number' || Date.now() / 1000 >= claims.exp) {
        return { error: 'expired' }
      }
      return { claims }
    },
    issueRefreshToken(user) {
      const body = base64url(
        JSON.stringify({
          uid: user.localId,
          stamp: passwordStamp(user),
          nonce: randomBytes(9).toString('base64url'),
        }),
      )
      return `${body}.${sign(`refresh:${body}`)}`
    },
    verifyRefreshToken(token, findUser) {
      const [body, signature, extra] = token.split('.')
      if (!body || !signature || extra !== undefined) return undefined
      if (!safeEqual(signature, sign(`refresh:${body}`))) return undefined
      let claims: { uid?: unknown; stamp?: unknown }
      try {
        claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
      } catch {
        return undefined
      }
      const user = typeof claims.uid === 'string' ? findUser(claims.uid) : undefined
      if (!user || user.disabled || claims.stamp !== passwordStamp(user)) return undefined
      return user
    },
  }
}

/** Changes when the password changes, so old refresh tokens stop working. */
function passwordStamp(user: HubUser): string {
  return createHash('sha256').update(user.passwordHash).digest('base64url').slice(0, 16)
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}

function safeEqual(left: string, right: string): boolean {
  const a = Buffer.from(left)
  const b = Buffer.from(right)
  return a.length === b.length && timingSafeEqual(a, b)
}
