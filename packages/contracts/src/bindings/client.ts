// Shared plumbing of the contract bindings: the accepted client shapes and address resolution.

import type { Address } from '@opengradient/core'
import type { Client } from 'viem'

/**
 * What a binding accepts as `client`: a public client (reads, simulation, events), a wallet
 * client (writes), or both as `{ public, wallet }`, exactly like viem's `getContract`.
 */
export type ContractClient =
  | Client
  | { public?: Client | undefined; wallet: Client }
  | { public: Client; wallet?: Client | undefined }

/** Names of the OpenGradient contracts a chain preset may carry under `chain.contracts`. */
export type ContractName =
  | 'inferenceHub'
  | 'inferencePrecompile'
  | 'priceHistoryPrecompile'
  | 'taskScheduler'
  | 'teeRegistry'
  | 'opgToken'

/**
 * Picks the address of `name`: the explicit one, else the one of the client's chain preset
 * (so a devnet or fork preset with its own addresses works unchanged), else `fallback`.
 */
export function resolveContractAddress(
  client: ContractClient,
  name: ContractName,
  address: Address | undefined,
  fallback: Address,
): Address {
  if (address !== undefined) return address
  const chains = isClient(client) ? [client.chain] : [client.public?.chain, client.wallet?.chain]
  for (const chain of chains) {
    const contract = chain?.contracts?.[name] as { address?: Address } | undefined
    if (contract?.address !== undefined) return contract.address
  }
  return fallback
}

function isClient(client: ContractClient): client is Client {
  return typeof (client as Client).request === 'function'
}
