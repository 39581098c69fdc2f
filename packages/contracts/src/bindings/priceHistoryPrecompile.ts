import { type Address, priceHistoryPrecompileAddress } from '@opengradient/core'
import { type GetContractReturnType, getContract } from 'viem'
import { priceHistoryPrecompileAbi } from '../generated/IPriceHistoryPrecompile.js'
import { type ContractClient, resolveContractAddress } from './client.js'

/** Parameters of {@link getPriceHistoryPrecompileContract}. */
export type GetPriceHistoryPrecompileContractParameters<
  client extends ContractClient = ContractClient,
> = {
  /** A public client, a wallet client, or both as `{ public, wallet }`. */
  client: client
  /**
   * The precompile's address.
   * @default the client chain's `contracts.priceHistoryPrecompile`, else `priceHistoryPrecompileAddress` (`0x…F5`)
   */
  address?: Address | undefined
}

/** Return type of {@link getPriceHistoryPrecompileContract}. */
export type GetPriceHistoryPrecompileContractReturnType<
  client extends ContractClient = ContractClient,
> = GetContractReturnType<typeof priceHistoryPrecompileAbi, client>

/**
 * A typed viem contract instance of the price-history precompile `0x…F5`
 * (`queryHistoricalCandles`, `runInferenceOnPriceFeed`, `HistoricalInferenceEvent`).
 *
 * @example
 * ```ts
 * import { getPriceHistoryPrecompileContract } from '@opengradient/contracts'
 * import { CandleOrder, CandleType } from '@opengradient/core'
 *
 * const precompile = getPriceHistoryPrecompileContract({ client })
 * const { result: candles } = await precompile.simulate.queryHistoricalCandles([
 *   { base: 'ETH', quote: 'USD', total_candles: 10, candle_duration_in_mins: 60, order: CandleOrder.ASCENDING, candle_types: [CandleType.CLOSE] },
 * ])
 * ```
 */
export function getPriceHistoryPrecompileContract<const client extends ContractClient>(
  parameters: GetPriceHistoryPrecompileContractParameters<client>,
): GetPriceHistoryPrecompileContractReturnType<client> {
  const { client } = parameters
  const address = resolveContractAddress(
    client,
    'priceHistoryPrecompile',
    parameters.address,
    priceHistoryPrecompileAddress,
  )
  return getContract({ abi: priceHistoryPrecompileAbi, address, client })
}
