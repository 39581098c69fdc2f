// The account creation steps shared by `config init` (answer "no" to having an account).
import { historicalUrls } from '@opengradient/core'
import type { Address, Hex } from 'viem'
import type { CommandContext } from './context.js'
import { CliAbortedError } from './errors.js'

export type AccountWizardReturnType = { privateKey: Hex; address: Address }

/**
 * Walks through creating a Hub account and generates a chain key with the platform's CSPRNG
 * (viem's `generatePrivateKey`), so the key is always in the valid secp256k1 range. The key is
 * returned, never printed: the caller saves it and says where.
 */
export async function runAccountWizard(context: CommandContext): Promise<AccountWizardReturnType> {
  context.print('OpenGradient Account Creation Wizard')
  context.print()
  context.print('Step 1: Create Account on OpenGradient Hub')
  context.print(`Sign up at ${historicalUrls.hubSignup} if you have no account yet.`)
  const created = await context.confirm(
    'Have you successfully created your account on the OpenGradient Hub?',
    { defaultValue: false },
  )
  if (!created) throw new CliAbortedError()
  context.print()
  context.print('Step 2: Generate Ethereum Account')
  const { generatePrivateKey, privateKeyToAccount } = await import('viem/accounts')
  const privateKey = generatePrivateKey()
  const { address } = privateKeyToAccount(privateKey)
  context.print(`Generated OpenGradient chain account with address: ${address}`)
  context.print()
  context.print('Account Creation Complete!')
  context.print(`Address: ${address}`)
  return { privateKey, address }
}
