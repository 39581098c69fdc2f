import { type Address, legacyTeeRegistryAddress, teeRegistryAddress } from '@opengradient/core'
import { type GetContractReturnType, getContract } from 'viem'
import { legacyTeeRegistryAbi } from '../generated/LegacyTEERegistry.js'
import { teeRegistryAbi } from '../generated/TEERegistry.js'
import { type ContractClient, resolveContractAddress } from './client.js'

/** Parameters of {@link getTeeRegistryContract}. */
export type GetTeeRegistryContractParameters<client extends ContractClient = ContractClient> = {
  /** A public client, a wallet client, or both as `{ public, wallet }`. */
  client: client
  /**
   * The registry's address.
   * @default the client chain's `contracts.teeRegistry`, else `teeRegistryAddress` (OpenGradient testnet)
   */
  address?: Address | undefined
}

/** Return type of {@link getTeeRegistryContract}. */
export type GetTeeRegistryContractReturnType<client extends ContractClient = ContractClient> =
  GetContractReturnType<typeof teeRegistryAbi, client>

/**
 * A typed viem contract instance of the TEE registry (current ABI: `TEEInfo` with
 * `ohttpConfig`). Use it to discover the active LLM gateways.
 *
 * @example
 * ```ts
 * import { getTeeRegistryContract } from '@opengradient/contracts'
 * import { ogTestnet } from '@opengradient/core'
 * import { createPublicClient, http } from 'viem'
 *
 * const client = createPublicClient({ chain: ogTestnet, transport: http() })
 * const registry = getTeeRegistryContract({ client })
 * const tees = await registry.read.getActiveTEEs([0]) // 0 = LLM proxy
 * ```
 */
export function getTeeRegistryContract<const client extends ContractClient>(
  parameters: GetTeeRegistryContractParameters<client>,
): GetTeeRegistryContractReturnType<client> {
  const { client } = parameters
  const address = resolveContractAddress(
    client,
    'teeRegistry',
    parameters.address,
    teeRegistryAddress,
  )
  return getContract({ abi: teeRegistryAbi, address, client })
}

/** Parameters of {@link getLegacyTeeRegistryContract}. */
export type GetLegacyTeeRegistryContractParameters<client extends ContractClient = ContractClient> =
  {
    /** A public client, a wallet client, or both as `{ public, wallet }`. */
    client: client
    /**
     * The registry's address.
     * @default legacyTeeRegistryAddress
     */
    address?: Address | undefined
  }

/** Return type of {@link getLegacyTeeRegistryContract}. */
export type GetLegacyTeeRegistryContractReturnType<client extends ContractClient = ContractClient> =
  GetContractReturnType<typeof legacyTeeRegistryAbi, client>

/**
 * A typed viem contract instance of the old TEE registry, whose `TEEInfo` has 10 fields (no
 * `ohttpConfig`). Data of the old registry does not decode with the current ABI.
 *
 * @example
 * ```ts
 * import { getLegacyTeeRegistryContract } from '@opengradient/contracts'
 *
 * const registry = getLegacyTeeRegistryContract({ client })
 * const ids = await registry.read.getTEEsByType([0])
 * ```
 */
export function getLegacyTeeRegistryContract<const client extends ContractClient>(
  parameters: GetLegacyTeeRegistryContractParameters<client>,
): GetLegacyTeeRegistryContractReturnType<client> {
  const { client, address = legacyTeeRegistryAddress } = parameters
  return getContract({ abi: legacyTeeRegistryAbi, address, client })
}
