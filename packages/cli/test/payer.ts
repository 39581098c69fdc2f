// Fresh paying accounts for the CLI's LLM payment tests, funded by dev account 6, so no test
// depends on what other files did to a dev account's OPG or Permit2 allowance.
import { opgTokenAbi } from '@opengradient/contracts'
import { devnetOpgTokenAddress } from '@opengradient/core'
import { type Address, createWalletClient, type Hex, http, parseEther, publicActions } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { testDevnet } from '../../../test/devnet.js'
import { devnetAdmin } from '../../../test/devnetAdmin.js'

/** Dev account 6; files run one at a time per devnet, so its nonces never race. */
const funderKey: Hex = '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e'

/** A fresh account as the CLI's `OG_PRIVATE_KEY`. */
export type Payer = { address: Address; env: { OG_PRIVATE_KEY: Hex } }

/** A fresh random account with nothing on the devnet. */
export function freshPayer(): Payer {
  const key = generatePrivateKey()
  return { address: privateKeyToAccount(key).address, env: { OG_PRIVATE_KEY: key } }
}

/** A fresh account with 1 ETH for gas and `opg` OPG (default 5), sent by dev account 6. */
export async function fundedPayer(opg = '5'): Promise<Payer> {
  const payer = freshPayer()
  const { chain, rpcUrl } = testDevnet()
  const funder = createWalletClient({
    account: privateKeyToAccount(funderKey),
    chain,
    transport: http(rpcUrl),
  }).extend(publicActions)
  await funder.waitForTransactionReceipt({
    hash: await funder.sendTransaction({ to: payer.address, value: parseEther('1') }),
    pollingInterval: 20,
  })
  await funder.waitForTransactionReceipt({
    hash: await funder.writeContract({
      address: devnetOpgTokenAddress,
      abi: opgTokenAbi,
      functionName: 'transfer',
      args: [payer.address, parseEther(opg)],
    }),
    pollingInterval: 20,
  })
  return payer
}

/** An x402 `upto` session of the devnet's TEE, as `og_llmPaymentSessions` lists it. */
export type PaymentSession = {
  id: string
  payer: string
  cap: string
  spent: string
  requests: number
  state: string
}

/** The devnet TEE's payment sessions of one payer. */
export async function paymentSessionsOf(address: Address): Promise<PaymentSession[]> {
  const sessions = await devnetAdmin<PaymentSession[]>(testDevnet().rpcUrl, 'og_llmPaymentSessions')
  return sessions.filter((session) => session.payer.toLowerCase() === address.toLowerCase())
}
