// The Model Hub client of the hub commands: URLs by network, the saved session, progress output.
import { randomBytes } from 'node:crypto'
import { open, readFile, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { AuthError, defaultIpfsGatewayUrl } from '@opengradient/core'
import { createHubClient, type HubClient, type HubSession } from '@opengradient/hub'
import type { CommandContext } from './context.js'
import { ConfigFileError } from './errors.js'

/** Where the hub of the current network lives. */
export type HubEndpoints = {
  baseUrl: string
  /** A Firebase emulator's base (the devnet's), or undefined for Google's endpoints. */
  authUrl: string | undefined
  gatewayUrl: string
  /** The Firebase web API key, from `OG_FIREBASE_API_KEY` or `FIREBASE_API_KEY`. */
  apiKey: string | undefined
}

/**
 * The hub URLs of a run: `OG_HUB_URL`, `OG_HUB_AUTH_URL` and `OG_IPFS_GATEWAY` override the
 * network's (on `--network devnet` they are the devnet's own services).
 */
export function hubEndpointsOf(context: CommandContext): HubEndpoints {
  const { env } = context.io
  const network = context.getChain().opengradient
  return {
    baseUrl: env.OG_HUB_URL || network.hubApiUrl || 'https://api.opengradient.ai/api/v0',
    authUrl: env.OG_HUB_AUTH_URL || network.hubAuthUrl,
    gatewayUrl: env.OG_IPFS_GATEWAY || network.ipfsGatewayUrl || defaultIpfsGatewayUrl,
    apiKey: env.OG_FIREBASE_API_KEY || env.FIREBASE_API_KEY || undefined,
  }
}

/**
 * The file that keeps Model Hub sessions (ID and refresh tokens, never the password), beside
 * the config file: `~/.opengradient_hub_session.json`.
 */
export function hubSessionPath(configPath: string): string {
  return join(dirname(configPath), '.opengradient_hub_session.json')
}

type SessionFile = { version: 1; sessions: Record<string, HubSession> }

/** The saved session for a hub, if any. */
export async function readHubSession(
  path: string,
  baseUrl: string,
): Promise<HubSession | undefined> {
  return (await readSessionFile(path)).sessions[baseUrl]
}

async function readSessionFile(path: string): Promise<SessionFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { version: 1, sessions: {} }
    throw new ConfigFileError('The Model Hub session file cannot be read.', { path, cause: error })
  }
  try {
    const parsed = JSON.parse(text) as Partial<SessionFile>
    return { version: 1, sessions: { ...parsed.sessions } }
  } catch {
    // A damaged file only costs a new sign-in.
    return { version: 1, sessions: {} }
  }
}

/**
 * Saves (or with `undefined`, forgets) the session of one hub. The file is replaced
 * atomically and created with mode 0600: it holds tokens.
 */
export async function writeHubSession(
  path: string,
  baseUrl: string,
  session: HubSession | undefined,
): Promise<void> {
  const file = await readSessionFile(path)
  if (session) file.sessions[baseUrl] = session
  else delete file.sessions[baseUrl]
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temporary, 'wx', 0o600)
    try {
      await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {})
    throw new ConfigFileError('The Model Hub session file cannot be written.', {
      path,
      cause: error,
    })
  }
}

/** A hub client of a command, and the saving of its refreshed session. */
export type CliHub = {
  client: HubClient
  endpoints: HubEndpoints
  sessionPath: string
  /** Waits until every session change is saved. */
  flush(): Promise<void>
}

/**
 * The hub client of a command. It starts from the saved session of this hub; without one, and
 * when `signIn` is set, it signs in with the configured email and password (`OG_EMAIL` /
 * `OG_PASSWORD` or the config file). Refreshed tokens are saved as they come.
 */
export async function openHub(
  context: CommandContext,
  options: { signIn: boolean },
): Promise<CliHub> {
  const endpoints = hubEndpointsOf(context)
  const sessionPath = hubSessionPath(context.configPath)
  const saved = await readHubSession(sessionPath, endpoints.baseUrl)
  let saving: Promise<void> = Promise.resolve()
  const client = createHubClient({
    baseUrl: endpoints.baseUrl,
    authUrl: endpoints.authUrl,
    apiKey: endpoints.apiKey,
    gatewayUrl: endpoints.gatewayUrl,
    auth: saved,
    onSessionChange: (session) => {
      saving = saving.then(() => writeHubSession(sessionPath, endpoints.baseUrl, session))
    },
  })
  if (!saved && options.signIn) {
    const { email, password } = context.settings
    if (!email || !password) {
      throw new AuthError('Not signed in to the Model Hub.', {
        metaMessages: [
          "Run 'opengradient login' first, or set OG_EMAIL and OG_PASSWORD.",
          `Hub: ${endpoints.baseUrl}`,
        ],
      })
    }
    await client.login({ email: email.value, password: password.value })
  }
  return { client, endpoints, sessionPath, flush: () => saving }
}

/** Reports transfer progress: a bar on a terminal, a line per 10 % otherwise, nothing with --json. */
export function createProgress(context: CommandContext, label: string) {
  const stderr = context.io.stderr as { write(text: string): unknown; isTTY?: boolean }
  const terminal = stderr.isTTY === true
  let lastStep = -1
  let lastDraw = 0
  let drawn = false
  return {
    update(loaded: number, total: number | undefined) {
      if (context.json) return
      if (terminal) {
        const now = Date.now()
        if (now - lastDraw < 100 && loaded !== total) return
        lastDraw = now
        drawn = true
        if (total === undefined || total === 0) {
          stderr.write(`\r${label} ${formatBytes(loaded)}   `)
          return
        }
        const ratio = Math.min(1, loaded / total)
        const width = 30
        const filled = Math.round(ratio * width)
        stderr.write(
          `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${formatBytes(loaded)} / ${formatBytes(total)}   `,
        )
        return
      }
      if (total === undefined || total === 0) return
      const step = Math.floor((loaded / total) * 10)
      if (step <= lastStep) return
      lastStep = step
      stderr.write(`${label} ${step * 10}% (${loaded} of ${total} bytes)\n`)
    },
    done() {
      if (drawn) stderr.write('\n')
    },
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`
}
