import { legacyTeeRegistryAbi, teeRegistryAbi } from '@opengradient/contracts'
import {
  type Address,
  type OpenGradientChain,
  TeeRegistryError,
  teeRegistryAddress,
} from '@opengradient/core'
import {
  type Chain,
  type Client,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
  keccak256,
  type Transport,
} from 'viem'
import { call } from 'viem/actions'
import type { ActiveTee, TeeLogger } from './types.js'

/** TEE types of the registry. */
export const TeeType = { LlmProxy: 0, Validator: 1 } as const

export type GetActiveTeesParameters = {
  /** A viem client of the chain the registry lives on (a `PublicClient`). */
  client: Client<Transport, Chain | undefined>
  /**
   * The registry's address.
   * @default the client chain's `contracts.teeRegistry`, else `teeRegistryAddress` (the current registry of the OpenGradient testnet)
   */
  address?: Address | undefined
  /**
   * Which TEEs: `0` LLM proxies, `1` validators.
   * @default 0
   */
  teeType?: number | undefined
  /** Told about registry entries that are skipped. */
  logger?: TeeLogger | undefined
}

export type GetActiveTeesReturnType = ActiveTee[]

export type GetActiveTeesErrorType = TeeRegistryError

/**
 * Lists the active TEEs of a type from the TEE registry (`getActiveTEEs`): enabled, with a
 * valid PCR and a fresh heartbeat. Entries without an endpoint or a TLS certificate are skipped
 * (and reported to `logger`).
 *
 * Both registry generations are read: the answer is decoded with the current 11-field `TEEInfo`
 * and, if that fails, with the legacy 10-field one. A registry that cannot be read throws a
 * `TeeRegistryError`; an empty list means the registry was read and lists nothing.
 *
 * @example
 * ```ts
 * import { ogTestnet } from '@opengradient/core'
 * import { getActiveTees } from '@opengradient/llm'
 * import { createPublicClient, http } from 'viem'
 *
 * const client = createPublicClient({ chain: ogTestnet, transport: http() })
 * const tees = await getActiveTees({ client })
 * console.log(tees.map((tee) => [tee.teeId, tee.endpoint]))
 * ```
 */
export async function getActiveTees(
  parameters: GetActiveTeesParameters,
): Promise<GetActiveTeesReturnType> {
  const { client, logger } = parameters
  const teeType = parameters.teeType ?? TeeType.LlmProxy
  const registryAddress = teeRegistryAddressOf(client, parameters.address)

  let data: Hex | undefined
  try {
    const result = await call(client, {
      to: registryAddress,
      data: encodeFunctionData({
        abi: teeRegistryAbi,
        functionName: 'getActiveTEEs',
        args: [teeType],
      }),
    })
    data = result.data
  } catch (error) {
    throw new TeeRegistryError('The TEE registry could not be read.', {
      registryAddress,
      cause: error,
      metaMessages: [`Call: getActiveTEEs(${teeType})`],
    })
  }
  if (data === undefined || data === '0x') {
    throw new TeeRegistryError('The TEE registry answered with no data.', {
      registryAddress,
      details: 'No contract is deployed at this address on the client chain, or it is no registry.',
    })
  }

  const entries = decodeActiveTees(data, registryAddress)
  const tees: ActiveTee[] = []
  for (const entry of entries) {
    const teeId = keccak256(entry.publicKey).toLowerCase() as Hex
    const endpoint = normalizeEndpoint(entry.endpoint)
    const problem = !entry.endpoint
      ? 'it has no endpoint'
      : entry.tlsCertificate === '0x'
        ? 'it has no TLS certificate'
        : endpoint === undefined
          ? 'its endpoint is no http(s) URL'
          : undefined
    if (problem || endpoint === undefined) {
      logger?.warn?.(`Skipped TEE ${teeId} of the registry: ${problem}.`, {
        teeId,
        registryAddress,
        endpoint: entry.endpoint,
      })
      continue
    }
    const ohttp = entry.ohttpConfig
    tees.push({
      teeId,
      owner: entry.owner,
      paymentAddress: entry.paymentAddress,
      endpoint,
      publicKey: entry.publicKey,
      tlsCertificate: entry.tlsCertificate,
      pcrHash: entry.pcrHash,
      teeType: entry.teeType,
      registeredAt: entry.registeredAt,
      lastHeartbeatAt: entry.lastHeartbeatAt,
      ohttp:
        ohttp && ohttp.publicKey !== '0x'
          ? {
              keyId: ohttp.keyId,
              kemId: ohttp.kemId,
              kdfId: ohttp.kdfId,
              aeadId: ohttp.aeadId,
              publicKey: ohttp.publicKey,
              keyConfig: ohttp.keyConfig,
              registeredAt: ohttp.registeredAt,
            }
          : undefined,
    })
  }
  return tees
}

// One spelling per endpoint (lower-case host, no default port, no trailing slash), so request
// URLs built from it can be matched back to the TEE.
function normalizeEndpoint(endpoint: string): string | undefined {
  let url: URL
  try {
    url = new URL(endpoint.trim())
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}

type RegistryEntry = {
  owner: Address
  paymentAddress: Address
  endpoint: string
  publicKey: Hex
  tlsCertificate: Hex
  pcrHash: Hex
  teeType: number
  registeredAt: bigint
  lastHeartbeatAt: bigint
  ohttpConfig?:
    | {
        keyId: number
        kemId: number
        kdfId: number
        aeadId: number
        publicKey: Hex
        keyConfig: Hex
        registeredAt: bigint
      }
    | undefined
}

// Data of the old registry does not decode with the current ABI (its structs are one field
// shorter), while current data decodes with the old one minus `ohttpConfig`: so current first.
function decodeActiveTees(data: Hex, registryAddress: Address): readonly RegistryEntry[] {
  try {
    return decodeFunctionResult({ abi: teeRegistryAbi, functionName: 'getActiveTEEs', data })
  } catch (currentError) {
    try {
      return decodeFunctionResult({
        abi: legacyTeeRegistryAbi,
        functionName: 'getActiveTEEs',
        data,
      })
    } catch {
      throw new TeeRegistryError('The TEE registry answer decodes with no known registry ABI.', {
        registryAddress,
        cause: currentError,
      })
    }
  }
}

/**
 * The registry address a client uses: the given one, the chain's `contracts.teeRegistry`, or
 * the current OpenGradient testnet registry (never the legacy one, which lists no TEE).
 *
 * @example
 * ```ts
 * teeRegistryAddressOf(client) // '0x703cB174AEadB35D611858369B4b1111dC9Abda6' for ogTestnet
 * ```
 */
export function teeRegistryAddressOf(
  client: Client<Transport, Chain | undefined>,
  address?: Address | undefined,
): Address {
  if (address) return address
  const contracts = (client.chain as OpenGradientChain | undefined)?.contracts
  return contracts?.teeRegistry?.address ?? teeRegistryAddress
}
