import { createRequire } from 'node:module'
import type { Address, Hex } from '@opengradient/core'
import {
  hexToBytes,
  keccak256,
  pad,
  parseTransaction,
  recoverTransactionAddress,
  serializeTransaction,
  type TransactionSerialized,
  toHex,
} from 'viem'
import { publicKeyToAddress } from 'viem/accounts'

export type NativeSecp256k1 = {
  ecdsaRecover(
    signature: Uint8Array,
    recid: number,
    message: Uint8Array,
    compressed: boolean,
  ): Uint8Array
}

let native: NativeSecp256k1 | null | undefined

/**
 * Loads libsecp256k1 (prebuilt binaries inside the npm package), which recovers a sender in
 * microseconds; the pure-JS path takes milliseconds, which every send through the front would
 * pay. `null` where the binary cannot load.
 *
 * @example
 * ```ts
 * const secp = loadNativeSecp256k1()
 * ```
 */
export function loadNativeSecp256k1(): NativeSecp256k1 | null {
  if (native !== undefined) return native
  try {
    native = createRequire(import.meta.url)('secp256k1') as NativeSecp256k1
  } catch {
    native = null
  }
  return native
}

/**
 * Recovers the sender of a signed raw transaction, with libsecp256k1 when it loads and viem's
 * pure-JS recovery otherwise.
 *
 * @example
 * ```ts
 * const from = await recoverSender(serializedTransaction) // '0xf39F…2266'
 * ```
 */
export async function recoverSender(
  serialized: Hex,
  /** The transaction parsed already, when the caller has it (parsing is not free). */
  parsed?: ReturnType<typeof parseTransaction> | undefined,
): Promise<Address> {
  const secp = loadNativeSecp256k1()
  const serializedTransaction = serialized as TransactionSerialized
  if (!secp) return await recoverTransactionAddress({ serializedTransaction })
  const transaction = parsed ?? parseTransaction(serializedTransaction)
  const { r, s, v, yParity } = transaction
  if (!r || !s) return await recoverTransactionAddress({ serializedTransaction })
  const recid =
    yParity ?? (v === undefined ? 0 : v >= 35n ? Number((v - 35n) % 2n) : Number(v - 27n))
  const unsigned = serializeTransaction({
    ...transaction,
    r: undefined,
    s: undefined,
    v: undefined,
    yParity: undefined,
  } as never)
  const signature = new Uint8Array(64)
  signature.set(hexToBytes(pad(r, { size: 32 })), 0)
  signature.set(hexToBytes(pad(s, { size: 32 })), 32)
  const publicKey = secp.ecdsaRecover(signature, recid, hexToBytes(keccak256(unsigned)), false)
  return publicKeyToAddress(toHex(publicKey))
}
