// Model Hub accounts and a funded chain account for the CLI's hub commands on the worker's devnet.
import { randomUUID } from 'node:crypto'
import { parseEther } from 'viem'
import { generatePrivateKey } from 'viem/accounts'
import { testDevnet } from '../../../test/devnet.js'
import { og } from './utils.js'

/** Global options that point the CLI at the worker's devnet. */
export function devnetArgs(): string[] {
  return ['--network', 'devnet', '--rpc-url', testDevnet().rpcUrl]
}

/** Adds a devnet hub account with `og devnet users add` and signs in with `og login`. */
export async function signUpAndLogin(home: string): Promise<{ email: string; password: string }> {
  const email = `cli-${randomUUID()}@example.com`
  const password = 'devnet-password'
  const added = await og(
    ['devnet', 'users', 'add', email, '--password', password, '--data-dir', testDevnet().dataDir],
    { home },
  )
  if (added.exitCode !== 0) throw new Error(added.stderr)
  const login = await og([...devnetArgs(), 'login', '--email', email, '--password', password], {
    home,
  })
  if (login.exitCode !== 0) throw new Error(login.stderr)
  return { email, password }
}

/** A fresh chain account with 10 ETH on the devnet, as `OG_PRIVATE_KEY`. */
export async function fundedKeyEnv(): Promise<{ OG_PRIVATE_KEY: string }> {
  const key = generatePrivateKey()
  const { privateKeyToAddress } = await import('viem/accounts')
  await fetch(testDevnet().rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'anvil_setBalance',
      params: [privateKeyToAddress(key), `0x${parseEther('10').toString(16)}`],
    }),
  })
  return { OG_PRIVATE_KEY: key }
}
