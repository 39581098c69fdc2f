// The result format shared by the devnet node and the precompile stand-ins
// (contracts/devnet/PreparedResultQueue.sol).

import type { Address, Hex } from '@opengradient/core'
import { decodeAbiParameters, encodeAbiParameters, getAddress, keccak256, slice } from 'viem'

/** Storage slot of a stand-in's `nextResultIndex`, for `eth_getStorageAt`. */
export const standInNextResultIndexSlot = 0n

const resultParameters = [
  { name: 'requestHash', type: 'bytes32' },
  { name: 'ok', type: 'bool' },
  { name: 'inferenceId', type: 'string' },
  { name: 'payload', type: 'bytes' },
] as const

/** One prepared answer of a precompile stand-in. */
export type StandInResult = {
  /** `keccak256` of the calldata this result answers (selector included). */
  requestHash: Hex
  /** `true`: `payload` is returned; `false`: the call reverts with `Error(payload as UTF-8)`. */
  ok: boolean
  /** The id the stand-in puts in the precompile event (ignored for candle queries). */
  inferenceId: string
  /**
   * For `ok`, the ABI-encoded return value of the function (e.g. `encodeFunctionResult`);
   * otherwise the revert reason as UTF-8 bytes (e.g. `toHex('model not found')`).
   */
  payload: Hex
}

/**
 * The account whose code holds result number `index` of the stand-in at `standIn`:
 * `address(uint160(uint256(keccak256(abi.encode(standIn, index)))))`, the same formula as the
 * contract's `resultAccount(index)`.
 *
 * @example
 * ```ts
 * import { resultAccountAddress } from '@opengradient/contracts/devnet'
 * import { inferencePrecompileAddress } from '@opengradient/core'
 *
 * const index = await testClient.request({ method: 'eth_getStorageAt', params: [inferencePrecompileAddress, '0x0', 'latest'] })
 * const account = resultAccountAddress(inferencePrecompileAddress, BigInt(index))
 * ```
 */
export function resultAccountAddress(standIn: Address, index: bigint): Address {
  const hash = keccak256(
    encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [standIn, index]),
  )
  return getAddress(slice(hash, 12))
}

/**
 * Encodes a prepared result as the code to place at its result account:
 * `abi.encode(bytes32 requestHash, bool ok, string inferenceId, bytes payload)`.
 *
 * @example
 * ```ts
 * import { encodeStandInResult, resultAccountAddress } from '@opengradient/contracts/devnet'
 * import { inferencePrecompileAbi } from '@opengradient/contracts'
 * import { encodeFunctionResult, keccak256 } from 'viem'
 *
 * const code = encodeStandInResult({
 *   requestHash: keccak256(precompileCalldata),
 *   ok: true,
 *   inferenceId: '0xabc…:0',
 *   payload: encodeFunctionResult({ abi: inferencePrecompileAbi, functionName: 'runModelInference', result: output }),
 * })
 * await testClient.setCode({ address: resultAccountAddress(inferencePrecompileAddress, 0n), bytecode: code })
 * ```
 */
export function encodeStandInResult(result: StandInResult): Hex {
  return encodeAbiParameters(resultParameters, [
    result.requestHash,
    result.ok,
    result.inferenceId,
    result.payload,
  ])
}

/**
 * Decodes the code of a result account back into a {@link StandInResult}.
 *
 * @example
 * ```ts
 * import { decodeStandInResult } from '@opengradient/contracts/devnet'
 *
 * const code = await publicClient.getCode({ address: account })
 * if (code) console.log(decodeStandInResult(code).inferenceId)
 * ```
 */
export function decodeStandInResult(code: Hex): StandInResult {
  const [requestHash, ok, inferenceId, payload] = decodeAbiParameters(resultParameters, code)
  return { requestHash, ok, inferenceId, payload }
}
