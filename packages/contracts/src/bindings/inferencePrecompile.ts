import { type Address, inferencePrecompileAddress } from '@opengradient/core'
import { type GetContractReturnType, getContract } from 'viem'
import { inferencePrecompileAbi } from '../generated/IInferencePrecompile.js'
import { type ContractClient, resolveContractAddress } from './client.js'

/** Parameters of {@link getInferencePrecompileContract}. */
export type GetInferencePrecompileContractParameters<
  client extends ContractClient = ContractClient,
> = {
  /** A public client, a wallet client, or both as `{ public, wallet }`. */
  client: client
  /**
   * The precompile's address.
   * @default the client chain's `contracts.inferencePrecompile`, else `inferencePrecompileAddress` (`0x…F4`)
   */
  address?: Address | undefined
}

/** Return type of {@link getInferencePrecompileContract}. */
export type GetInferencePrecompileContractReturnType<
  client extends ContractClient = ContractClient,
> = GetContractReturnType<typeof inferencePrecompileAbi, client>

/**
 * A typed viem contract instance of the inference precompile `0x…F4`. Mostly useful for its
 * events (`ModelInferenceEvent`, `LLMCompletionEvent`, `LLMChat`), which carry the inference id
 * of each call; contracts call the precompile, users call the hub.
 *
 * @example
 * ```ts
 * import { getInferencePrecompileContract } from '@opengradient/contracts'
 *
 * const precompile = getInferencePrecompileContract({ client })
 * const events = await precompile.getEvents.ModelInferenceEvent({ fromBlock: receipt.blockNumber, toBlock: receipt.blockNumber })
 * events[0]?.args.inferenceID
 * ```
 */
export function getInferencePrecompileContract<const client extends ContractClient>(
  parameters: GetInferencePrecompileContractParameters<client>,
): GetInferencePrecompileContractReturnType<client> {
  const { client } = parameters
  const address = resolveContractAddress(
    client,
    'inferencePrecompile',
    parameters.address,
    inferencePrecompileAddress,
  )
  return getContract({ abi: inferencePrecompileAbi, address, client })
}
