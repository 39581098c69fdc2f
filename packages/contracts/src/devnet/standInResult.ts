// The result format shared by the devnet node and the precompile stand-ins
// (contracts/devnet/PreparedResults.sol).

import type { Address, Hex } from '@opengradient/core'
import { decodeAbiParameters, encodeAbiParameters, getAddress, keccak256, slice } from 'viem'
import { bytesToHexFast, hexToBytesFast } from '../transactions/hex.js'

/**
 * How many consecutive results of one request have accounts of their own: result `n` reuses the
 * account of result `n - standInResultWindow`, so a repeated request does not grow the chain.
 */
export const standInResultWindow = 256n

const resultParameters = [
  { name: 'occurrence', type: 'uint256' },
  { name: 'ok', type: 'bool' },
  { name: 'inferenceId', type: 'string' },
  { name: 'payload', type: 'bytes' },
] as const

/** One prepared answer of a precompile stand-in. */
export type StandInResult = {
  /**
   * Which result of its request this is (0 for the first): the stand-in takes it only for that
   * call, not for one {@link standInResultWindow} results later, which shares the account.
   */
  occurrence: bigint
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
 * The account whose code holds result number `occurrence` (counted from 0) of the request whose
 * calldata hashes to `requestHash`, at the stand-in `standIn`:
 * `address(uint160(uint256(keccak256(abi.encode(standIn, requestHash, occurrence % 256)))))`,
 * the same formula as the contract's `resultAccount(requestHash, occurrence)`.
 *
 * @example
 * ```ts
 * import { resultAccountAddress } from '@opengradient/contracts/devnet'
 * import { inferencePrecompileAddress } from '@opengradient/core'
 * import { keccak256 } from 'viem'
 *
 * const account = resultAccountAddress(inferencePrecompileAddress, keccak256(calldata), 0n)
 * ```
 */
export function resultAccountAddress(
  standIn: Address,
  requestHash: Hex,
  occurrence: bigint,
): Address {
  const hash = keccak256(
    encodeAbiParameters(
      [{ type: 'address' }, { type: 'bytes32' }, { type: 'uint256' }],
      [standIn, requestHash, occurrence % standInResultWindow],
    ),
  )
  return getAddress(slice(hash, 12))
}

/**
 * The storage slot of a stand-in holding how many results of a request were consumed
 * (`consumedResults[requestHash]`, a mapping at slot 0), for `eth_getStorageAt`. The next call
 * with that calldata takes the result at that occurrence.
 *
 * @example
 * ```ts
 * import { consumedResultsSlot } from '@opengradient/contracts/devnet'
 *
 * const consumed = await publicClient.getStorageAt({
 *   address: inferencePrecompileAddress,
 *   slot: consumedResultsSlot(keccak256(calldata)),
 * })
 * ```
 */
export function consumedResultsSlot(requestHash: Hex): Hex {
  return keccak256(
    encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [requestHash, 0n]),
  )
}

/**
 * Encodes a prepared result as the code to place at its result account:
 * `abi.encode(uint256 occurrence, bool ok, string inferenceId, bytes payload)`.
 *
 * @example
 * ```ts
 * import { encodeStandInResult, resultAccountAddress } from '@opengradient/contracts/devnet'
 * import { inferencePrecompileAbi } from '@opengradient/contracts'
 * import { encodeFunctionResult, keccak256 } from 'viem'
 *
 * const code = encodeStandInResult({
 *   occurrence: 0n,
 *   ok: true,
 *   inferenceId: '0xabc…',
 *   payload: encodeFunctionResult({ abi: inferencePrecompileAbi, functionName: 'runModelInference', result: output }),
 * })
 * await testClient.setCode({
 *   address: resultAccountAddress(inferencePrecompileAddress, keccak256(precompileCalldata), 0n),
 *   bytecode: code,
 * })
 * ```
 */
export function encodeStandInResult(result: StandInResult): Hex {
  const { occurrence, ok, inferenceId, payload } = result
  if (occurrence < 0n || occurrence >= 1n << 256n || typeof ok !== 'boolean') {
    // viem refuses these with its own errors.
    return encodeAbiParameters(resultParameters, [occurrence, ok, inferenceId, payload])
  }
  // Written straight into one buffer: the devnet encodes one per answer it places, each holding
  // a model's whole output, and viem's encoder goes through hex text for every part.
  const id = utf8.encode(inferenceId)
  const data = hexToBytesFast(payload)
  const padded = (length: number) => Math.ceil(length / 32) * 32
  const idAt = 128
  const dataAt = idAt + 32 + padded(id.length)
  const out = new Uint8Array(dataAt + 32 + padded(data.length))
  const view = new DataView(out.buffer)
  const writeWord = (at: number, value: bigint) => {
    for (let word = 3; word >= 0; word--) {
      view.setBigUint64(at + word * 8, value & 0xffffffffffffffffn)
      value >>= 64n
    }
  }
  writeWord(0, occurrence)
  writeWord(32, ok ? 1n : 0n)
  writeWord(64, BigInt(idAt))
  writeWord(96, BigInt(dataAt))
  writeWord(idAt, BigInt(id.length))
  out.set(id, idAt + 32)
  writeWord(dataAt, BigInt(data.length))
  out.set(data, dataAt + 32)
  return bytesToHexFast(out)
}

const utf8 = new TextEncoder()

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
  const [occurrence, ok, inferenceId, payload] = decodeAbiParameters(resultParameters, code)
  return { occurrence, ok, inferenceId, payload }
}
