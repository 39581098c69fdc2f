import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { copyFile, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BaseError, TimeoutError } from '@opengradient/core'
import { createIpcJsonRpcClient } from '../rpc/ipcJsonRpc.js'
import { createJsonRpcClient, type JsonRpcClient } from '../rpc/jsonRpc.js'
import { resolveAnvilBinary } from './binary.js'

/** anvil's standard test mnemonic: its first account is the well-known dev key. */
export const devMnemonic = 'test test test test test test test test test test test junk'

export type StartAnvilParameters = {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number | undefined
  /** Chain id. @default 10744 */
  chainId?: number | undefined
  /** Block gas limit. @default 60_000_000 */
  gasLimit?: bigint | undefined
  /** State file: loaded at start when present, dumped periodically and on exit. */
  stateFile?: string | undefined
  /** Seconds between state dumps. @default 1 */
  stateInterval?: number | undefined
  /** File that records anvil's pid, so a later start can stop an orphaned node. */
  pidFile?: string | undefined
  /** Number of funded dev accounts. @default 10 */
  accounts?: number | undefined
  /** Balance of each dev account in ether. @default 10000 */
  balance?: number | undefined
  /** Timeout for anvil to answer its first request. @default 30_000 */
  startTimeoutMs?: number | undefined
  /**
   * Talk to anvil over its IPC socket rather than HTTP (HTTP stays open for everyone else):
   * much cheaper per request. Falls back to HTTP when the socket cannot be used.
   * @default true
   */
  ipc?: boolean | undefined
  /** Extra command-line arguments. */
  args?: readonly string[] | undefined
}

export type AnvilInstance = {
  url: string
  port: number
  /** The client the devnet uses: over IPC when available, HTTP otherwise. */
  rpc: JsonRpcClient
  process: ChildProcess
  /** Stops anvil with SIGTERM (it dumps its state first) and waits for it to exit. */
  stop(): Promise<void>
}

/** Finds a free TCP port on 127.0.0.1. */
export async function findFreePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts anvil on 127.0.0.1 with the devnet's chain settings: Cancun rules, a 60M block gas
 * limit, automine, and funded accounts from the standard test mnemonic.
 *
 * The state file is written every `stateInterval` seconds and on exit, so a `kill -9` of the
 * whole devnet loses at most that much work. A state file that a crash left unreadable is
 * replaced by the last good copy, kept at `<stateFile>.prev`.
 *
 * @example
 * ```ts
 * const anvil = await startAnvil({ stateFile: '/tmp/devnet/chain.json' })
 * await anvil.rpc.request('eth_blockNumber')
 * await anvil.stop()
 * ```
 */
export async function startAnvil(parameters: StartAnvilParameters = {}): Promise<AnvilInstance> {
  const {
    chainId = 10744,
    gasLimit = 60_000_000n,
    stateFile,
    stateInterval = 1,
    pidFile,
    accounts = 10,
    balance = 10_000,
    startTimeoutMs = 30_000,
  } = parameters
  if (pidFile) await stopOrphan(pidFile)
  if (stateFile) await recoverStateFile(stateFile)
  const port = parameters.port || (await findFreePort())
  const ipcPath =
    parameters.ipc === false
      ? undefined
      : process.platform === 'win32'
        ? `\\\\.\\pipe\\og-anvil-${process.pid}-${port}`
        : join(tmpdir(), `og-anvil-${process.pid}-${port}.ipc`)
  if (ipcPath && process.platform !== 'win32') await rm(ipcPath, { force: true })
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--chain-id',
    String(chainId),
    '--hardfork',
    // Cancun, as the network's spec asks: Prague would also write each block's hash into the
    // EIP-2935 history contract, whose growing storage anvil rehashes at every block.
    'cancun',
    '--gas-limit',
    String(gasLimit),
    // No base fee: the gas price stays at the 1 gwei priority fee, steady from block to block as
    // on the network's Cosmos-based chain, instead of anvil's decay from 2 gwei over hundreds of
    // blocks. A transaction signed with one quote is still good after other blocks.
    '--base-fee',
    '0',
    '--mnemonic',
    devMnemonic,
    '--accounts',
    String(accounts),
    '--balance',
    String(balance),
    '--silent',
    ...(stateFile ? ['--state', stateFile, '--state-interval', String(stateInterval)] : []),
    ...(ipcPath ? ['--ipc', ipcPath] : []),
    ...(parameters.args ?? []),
  ]
  const child = spawn(resolveAnvilBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  // A devnet that dies must not leave its node behind.
  const killOnExit = () => child.kill('SIGTERM')
  process.once('exit', killOnExit)
  if (pidFile && child.pid) await writeFile(pidFile, String(child.pid))

  const url = `http://127.0.0.1:${port}`
  const http = createJsonRpcClient(url)
  const started = Date.now()
  let ready = false
  let earlyExit: number | null | undefined
  exited.then((code) => {
    earlyExit = code
  })
  while (!ready) {
    if (earlyExit !== undefined) {
      throw new BaseError('Anvil exited before it was ready.', {
        details: stderr.trim() || `exit code ${earlyExit}`,
      })
    }
    if (Date.now() - started > startTimeoutMs) {
      child.kill('SIGKILL')
      throw new TimeoutError('Anvil did not answer in time.', { timeoutMs: startTimeoutMs })
    }
    try {
      await http.request('eth_chainId')
      ready = true
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  let rpc: JsonRpcClient = http
  let ipc: ReturnType<typeof createIpcJsonRpcClient> | undefined
  if (ipcPath) {
    ipc = createIpcJsonRpcClient(ipcPath, http)
    try {
      await ipc.request('eth_chainId')
      rpc = ipc
    } catch {
      ipc.close()
      ipc = undefined
    }
  }

  let stopping: Promise<void> | undefined
  return {
    url,
    port,
    rpc,
    process: child,
    stop() {
      stopping ??= (async () => {
        process.off('exit', killOnExit)
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM')
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
          await exited
          clearTimeout(timer)
        }
        ipc?.close()
        if (ipcPath && process.platform !== 'win32') await rm(ipcPath, { force: true })
        if (pidFile) await rm(pidFile, { force: true })
      })()
      return stopping
    },
  }
}

async function stopOrphan(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return
  const pid = Number((await readFile(pidFile, 'utf8')).trim())
  if (!Number.isInteger(pid) || pid <= 0 || !isAnvil(pid)) return
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline && isAlive(pid))
    await new Promise((resolve) => setTimeout(resolve, 50))
  if (isAlive(pid)) process.kill(pid, 'SIGKILL')
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function isAnvil(pid: number): boolean {
  if (!isAlive(pid)) return false
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('anvil')
  } catch {
    // No /proc (macOS): trust the pid file, which only this module writes.
    return true
  }
}

async function recoverStateFile(stateFile: string): Promise<void> {
  const backup = `${stateFile}.prev`
  if (existsSync(stateFile)) {
    try {
      JSON.parse(await readFile(stateFile, 'utf8'))
      await copyFile(stateFile, `${backup}.tmp`)
      await rename(`${backup}.tmp`, backup)
      return
    } catch {
      await rename(stateFile, `${stateFile}.corrupt`)
    }
  }
  if (existsSync(backup)) await copyFile(backup, stateFile)
}
