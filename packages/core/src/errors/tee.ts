// Errors of TEE discovery: a registry that cannot be read, and no (or not the chosen) active TEE.
import type { Address, Hex } from '../types/primitives.js'
import { BaseError, type BaseErrorParameters } from './base.js'

export type TeeRegistryErrorType = TeeRegistryError & { name: 'TeeRegistryError' }

/**
 * The TEE registry could not be read: the RPC failed, nothing is deployed at the address, or its
 * answer decodes with neither registry ABI. Unlike an empty registry, this says nothing about
 * which TEEs are active.
 *
 * @example
 * ```ts
 * try {
 *   await getActiveTees({ client })
 * } catch (error) {
 *   if (error instanceof TeeRegistryError) console.error(error.registryAddress, error.walk())
 * }
 * ```
 */
export class TeeRegistryError extends BaseError {
  override name = 'TeeRegistryError' as const
  readonly registryAddress: Address

  constructor(
    shortMessage: string,
    parameters: BaseErrorParameters & { registryAddress: Address },
  ) {
    const { registryAddress, ...rest } = parameters
    super(shortMessage, {
      ...rest,
      metaMessages: [`Registry: ${registryAddress}`, ...(rest.metaMessages ?? [])],
    })
    this.registryAddress = registryAddress
  }
}

export type NoActiveTeeErrorType = NoActiveTeeError & { name: 'NoActiveTeeError' }

/**
 * The registry was read, but lists no active TEE of the wanted type, or (with `teeId`) not the
 * TEE the caller selected.
 *
 * @example
 * ```ts
 * try {
 *   await connection.current()
 * } catch (error) {
 *   if (error instanceof NoActiveTeeError) console.error(error.teeId ?? 'none active')
 * }
 * ```
 */
export class NoActiveTeeError extends BaseError {
  override name = 'NoActiveTeeError' as const
  readonly registryAddress: Address
  /** The selected TEE that is not active, when one was selected. */
  readonly teeId: Hex | undefined

  constructor(
    shortMessage: string,
    parameters: BaseErrorParameters & { registryAddress: Address; teeId?: Hex | undefined },
  ) {
    const { registryAddress, teeId, ...rest } = parameters
    super(shortMessage, {
      ...rest,
      metaMessages: [
        `Registry: ${registryAddress}`,
        ...(teeId ? [`TEE: ${teeId}`] : []),
        ...(rest.metaMessages ?? []),
      ],
    })
    this.registryAddress = registryAddress
    this.teeId = teeId
  }
}
