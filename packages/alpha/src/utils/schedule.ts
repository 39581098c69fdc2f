import { type Address, InvalidInputError, taskSchedulerAddress } from '@opengradient/core'
import type { AlphaClient } from '../client/createAlphaClient.js'

/**
 * The scheduler of a call: the one given, the chain's, or the Alpha testnet's.
 *
 * @example
 * ```ts
 * resolveSchedulerAddress(client, undefined) // '0x7179724De4e7FF9271FA40C0337c7f90C0508eF6'
 * ```
 */
export function resolveSchedulerAddress(
  client: AlphaClient,
  address: Address | undefined,
): Address {
  return address ?? client.chain.contracts?.taskScheduler?.address ?? taskSchedulerAddress
}

/**
 * A positive whole number of seconds, as the scheduler stores it.
 *
 * @example
 * ```ts
 * toFrequency(600) // 600n
 * ```
 */
export function toFrequency(frequency: number | bigint): bigint {
  const value =
    typeof frequency === 'bigint'
      ? frequency
      : Number.isInteger(frequency)
        ? BigInt(frequency)
        : -1n
  if (value < 1n) {
    throw new InvalidInputError(
      `"frequency" must be a positive whole number of seconds, got ${String(frequency)}.`,
    )
  }
  return value
}

/**
 * A schedule's end time in unix seconds, computed once: the explicit `endTime`, else
 * `durationHours` after the latest block's time (the clock the scheduler's executor compares
 * with, which on a local devnet may run ahead of the wall clock).
 *
 * @example
 * ```ts
 * await computeEndTime(client, { durationHours: 2 }) // the latest block's time + 7200n
 * ```
 */
export async function computeEndTime(
  client: AlphaClient,
  parameters: { endTime?: bigint | number | undefined; durationHours?: number | undefined },
): Promise<bigint> {
  if (parameters.endTime !== undefined) {
    const endTime =
      typeof parameters.endTime === 'bigint'
        ? parameters.endTime
        : Number.isInteger(parameters.endTime)
          ? BigInt(parameters.endTime)
          : -1n
    if (endTime < 0n) {
      throw new InvalidInputError(
        `"endTime" must be a unix time in whole seconds, got ${String(parameters.endTime)}.`,
      )
    }
    return endTime
  }
  const durationHours = parameters.durationHours ?? 2
  if (!Number.isFinite(durationHours) || durationHours <= 0) {
    throw new InvalidInputError(`"durationHours" must be a positive number, got ${durationHours}.`)
  }
  const block = await client.publicClient.getBlock({ blockTag: 'latest' })
  return block.timestamp + BigInt(Math.round(durationHours * 3600))
}
