import { type Address, opgTokenBaseAddress } from '@opengradient/core'
import { type GetContractReturnType, getContract } from 'viem'
import { opgTokenAbi } from '../generated/OPGToken.js'
import { type ContractClient, resolveContractAddress } from './client.js'

/** Parameters of {@link getOpgTokenContract}. */
export type GetOpgTokenContractParameters<client extends ContractClient = ContractClient> = {
  /** A public client, a wallet client, or both as `{ public, wallet }`. */
  client: client
  /**
   * The token's address.
   * @default the client chain's `contracts.opgToken` (set on the `base` and `baseSepolia` presets), else `opgTokenBaseAddress` (Base mainnet)
   */
  address?: Address | undefined
}

/** Return type of {@link getOpgTokenContract}. */
export type GetOpgTokenContractReturnType<client extends ContractClient = ContractClient> =
  GetContractReturnType<typeof opgTokenAbi, client>

/**
 * A typed viem contract instance of the OPG token: ERC-20 plus EIP-2612 `permit` and EIP-3009
 * signed transfers. The ABI is that of this package's `OPGToken`; its ERC-20, EIP-2612 and
 * EIP-3009 functions are the standard ones, so it also reads the token on Base.
 *
 * @example
 * ```ts
 * import { getOpgTokenContract } from '@opengradient/contracts'
 * import { base, permit2Address } from '@opengradient/core'
 * import { createPublicClient, http } from 'viem'
 *
 * const client = createPublicClient({ chain: base, transport: http() })
 * const opg = getOpgTokenContract({ client })
 * const allowance = await opg.read.allowance([account.address, permit2Address])
 * ```
 */
export function getOpgTokenContract<const client extends ContractClient>(
  parameters: GetOpgTokenContractParameters<client>,
): GetOpgTokenContractReturnType<client> {
  const { client } = parameters
  const address = resolveContractAddress(
    client,
    'opgToken',
    parameters.address,
    opgTokenBaseAddress,
  )
  return getContract({ abi: opgTokenAbi, address, client })
}
