// Starts a throwaway anvil for a test file and builds viem clients around it.

import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  http,
  type PublicActions,
  type PublicClient,
  publicActions,
  type TestClient,
  type Transport,
  type WalletClient,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url))

/** anvil's well-known development keys (public test mnemonic), one account per test role. */
const devKeys = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
] as const

export type Anvil = {
  rpcUrl: string
  chain: Chain
  publicClient: PublicClient<Transport, Chain>
  testClient: TestClient<'anvil', Transport, Chain>
  accounts: readonly [Account, Account, Account]
  walletClient: (account: Account) => WalletClient<Transport, Chain, Account>
  /** A wallet client with public actions, so reads and simulations also run as `account`. */
  accountClient: (
    account: Account,
  ) => WalletClient<Transport, Chain, Account> & PublicActions<Transport, Chain, Account>
  stop: () => Promise<void>
}

/** The anvil binary of the devnet package's pinned `@foundry-rs/anvil-<platform>` dependency. */
export function anvilBinaryPath(): string {
  const fromEnv = process.env.ANVIL_BINARY
  if (fromEnv) return fromEnv
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${arch}/package.json`
  const require = createRequire(import.meta.url)
  const searchFrom = [join(repoRoot, 'packages', 'devnet')]
  try {
    const wrapper = require.resolve('@foundry-rs/anvil/package.json', { paths: searchFrom })
    searchFrom.push(dirname(realpathSync(wrapper)))
  } catch {}
  for (const from of searchFrom) {
    try {
      const manifest = require.resolve(platformPackage, { paths: [from] })
      const binary = join(
        dirname(manifest),
        'bin',
        process.platform === 'win32' ? 'anvil.exe' : 'anvil',
      )
      if (existsSync(binary)) return binary
    } catch {}
  }
  throw new Error(
    `Cannot find the anvil binary (${platformPackage}); install the workspace or set ANVIL_BINARY.`,
  )
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Starts anvil on a free port with the Alpha testnet's chain id and cancun rules. */
export async function startAnvil(): Promise<Anvil> {
  const port = await freePort()
  const child: ChildProcess = spawn(
    anvilBinaryPath(),
    [
      '--chain-id',
      '10744',
      '--hardfork',
      'cancun',
      '--gas-limit',
      '60000000',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Listening on')) resolve()
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`anvil exited with ${code}:\n${output}`)))
    child.once('error', reject)
  })
  // Keep draining so a full pipe never blocks anvil.
  child.stdout?.resume()
  child.stderr?.resume()

  const rpcUrl = `http://127.0.0.1:${port}`
  const chain = defineChain({
    id: 10744,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  })
  const transport = http(rpcUrl, { retryCount: 0 })
  const accounts = devKeys.map((key) => privateKeyToAccount(key)) as unknown as [
    Account,
    Account,
    Account,
  ]
  return {
    rpcUrl,
    chain,
    publicClient: createPublicClient({ chain, transport, pollingInterval: 50 }),
    testClient: createTestClient({ chain, transport, mode: 'anvil' }),
    accounts,
    walletClient: (account) => createWalletClient({ chain, transport, account }),
    accountClient: (account) =>
      createWalletClient({ chain, transport, account, pollingInterval: 50 }).extend(publicActions),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill()
      }),
  }
}

/** Case-insensitive address comparison: logs carry lower-case addresses. */
export function sameAddress(a: Address, b: Address): boolean {
  return a.toLowerCase() === b.toLowerCase()
}
