// Accounts of the devnet hub's sign-in service: a users file with scrypt password hashes.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { InvalidInputError } from '@opengradient/core'
import { syncDirectory } from './journal.js'

/** An account of the devnet hub. */
export type HubUser = {
  /** The Firebase-style user id (`localId`). */
  localId: string
  email: string
  displayName: string
  /** `scrypt$<N>$<r>$<p>$<salt>$<hash>`, salt and hash in base64. */
  passwordHash: string
  /** Seconds ID tokens of this user live; the service's default when unset. */
  tokenLifetime?: number | undefined
  disabled?: boolean | undefined
  createdAt: string
  updatedAt: string
}

type UsersFile = { version: 1; users: Record<string, HubUser> }

/** scrypt cost parameters: N = 2^14, r = 8, p = 1 (about 16 MiB and 50 ms per hash). */
const scryptCost = { N: 16_384, r: 8, p: 1 } as const
const hashLength = 32

/** The users file of a devnet data directory. */
export function hubUsersFile(dataDir: string): string {
  return join(dataDir, 'hub', 'users.json')
}

/** The default data directory of `startDevnet`, `og devnet` and `og devnet users add`. */
export function defaultDevnetDataDir(): string {
  return join(homedir(), '.opengradient', 'devnet')
}

/**
 * Reads the accounts of a data directory, keyed by lower-case email. A missing file has none.
 * The file is read on every sign-in, so accounts added while the devnet runs work at once.
 */
export async function readHubUsers(dataDir: string): Promise<Map<string, HubUser>> {
  let text: string
  try {
    text = await readFile(hubUsersFile(dataDir), 'utf8')
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return new Map()
    throw error
  }
  const parsed = JSON.parse(text) as Partial<UsersFile>
  return new Map(Object.entries(parsed.users ?? {}))
}

export type AddHubUserParameters = {
  /** The devnet's data directory. @default ~/.opengradient/devnet */
  dataDir?: string | undefined
  email: string
  /** At least 6 characters (Firebase's rule); stored only as a scrypt hash. */
  password: string
  /** Seconds this user's ID tokens live (short values test token refresh). */
  tokenLifetime?: number | undefined
  displayName?: string | undefined
}

export type AddHubUserReturnType = {
  localId: string
  email: string
  /** False when the account existed: its password was replaced (which revokes its sessions). */
  created: boolean
  /** The users file written. */
  file: string
}

// Updates of the users file in this process run one after another.
let updates: Promise<unknown> = Promise.resolve()

/**
 * Adds an account to the devnet hub's sign-in service, or replaces the password of an existing
 * one (which revokes its refresh tokens). The password is stored as a salted scrypt hash. The
 * file is replaced atomically with mode 0600, so a running devnet reads either the old or the
 * new accounts.
 *
 * @example
 * ```ts
 * import { addHubUser } from '@opengradient/devnet'
 *
 * await addHubUser({ email: 'dev@example.com', password: 'correct horse' })
 * ```
 */
export function addHubUser(parameters: AddHubUserParameters): Promise<AddHubUserReturnType> {
  const next = updates.catch(() => undefined).then(() => addUser(parameters))
  updates = next
  return next
}

async function addUser(parameters: AddHubUserParameters): Promise<AddHubUserReturnType> {
  const email = parameters.email.trim()
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new InvalidInputError(`"${email}" is not an email address.`)
  }
  if (parameters.password.length < 6) {
    throw new InvalidInputError('The password must have at least 6 characters.')
  }
  const { tokenLifetime } = parameters
  if (tokenLifetime !== undefined && (!Number.isInteger(tokenLifetime) || tokenLifetime < 1)) {
    throw new InvalidInputError(
      `The token lifetime must be a whole number of seconds, got ${tokenLifetime}.`,
    )
  }
  const dataDir = parameters.dataDir ?? defaultDevnetDataDir()
  const file = hubUsersFile(dataDir)
  const users = await readHubUsers(dataDir)
  const key = email.toLowerCase()
  const existing = users.get(key)
  const now = new Date().toISOString()
  const user: HubUser = {
    localId: existing?.localId ?? randomBytes(21).toString('base64url').slice(0, 28),
    email,
    displayName: parameters.displayName ?? existing?.displayName ?? '',
    passwordHash: await hashPassword(parameters.password),
    ...(tokenLifetime !== undefined ? { tokenLifetime } : {}),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  }
  users.set(key, user)
  await writeUsers(file, { version: 1, users: Object.fromEntries(users) })
  return { localId: user.localId, email, created: existing === undefined, file }
}

async function writeUsers(file: string, contents: UsersFile): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  const temporary = join(dirname(file), `.users.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temporary, 'wx', 0o600)
    try {
      await handle.writeFile(`${JSON.stringify(contents, null, 2)}\n`, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, file)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
  await syncDirectory(dirname(file))
}

/**
 * Hashes a password with scrypt and a random 16-byte salt.
 *
 * @example
 * ```ts
 * const hash = await hashPassword('correct horse') // 'scrypt$16384$8$1$…$…'
 * ```
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await derive(password, salt, scryptCost)
  const { N, r, p } = scryptCost
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`
}

/** Checks a password against a hash of {@link hashPassword}, in constant time. */
export async function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = passwordHash.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const actual = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  })
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

function derive(
  password: string,
  salt: Buffer,
  cost: { N: number; r: number; p: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      hashLength,
      { ...cost, maxmem: 64 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    )
  })
}
