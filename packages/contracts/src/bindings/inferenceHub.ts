import { type Address, inferenceHubAddress } from '@opengradient/core'
import { type GetContractReturnType, getContract } from 'viem'
import { inferenceHubAbi } from '../generated/InferenceHub.js'
import { type ContractClient, resolveContractAddress } from './client.js'

/** Parameters of {@link getInferenceHubContract}. */
export type GetInferenceHubContractParameters<client extends ContractClient = ContractClient> = {
  /** A public client, a wallet client, or both as `{ public, wallet }`. */
  client: client
  /**
   * The hub's address.
   * @default the client chain's `contracts.inferenceHub`, else `inferenceHubAddress` (Alpha testnet)
   */
  address?: Address | undefined
}

/** Return type of {@link getInferenceHubContract}. */
export type GetInferenceHubContractReturnType<client extends ContractClient = ContractClient> =
  GetContractReturnType<typeof inferenceHubAbi, client>

/**
 * A typed viem contract instance of the inference hub (`run`, `runLLMCompletion`, `runLLMChat`
 * and their events).
 *
 * @example
 * ```ts
 * import { getInferenceHubContract } from '@opengradient/contracts'
 * import { alphaTestnet } from '@opengradient/core'
 * import { createPublicClient, http } from 'viem'
 *
 * const client = createPublicClient({ chain: alphaTestnet, transport: http() })
 * const hub = getInferenceHubContract({ client })
 * const { result } = await hub.simulate.run([
 *   'QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ',
 *   0,
 *   { numbers: [{ name: 'num_input2', values: [{ value: 10n, decimals: 0n }], shape: [1] }], strings: [] },
 * ])
 * result.is_simulation_result // true: eth_call runs in simulation mode
 * ```
 */
export function getInferenceHubContract<const client extends ContractClient>(
  parameters: GetInferenceHubContractParameters<client>,
): GetInferenceHubContractReturnType<client> {
  const { client } = parameters
  const address = resolveContractAddress(
    client,
    'inferenceHub',
    parameters.address,
    inferenceHubAddress,
  )
  return getContract({ abi: inferenceHubAbi, address, client })
}
