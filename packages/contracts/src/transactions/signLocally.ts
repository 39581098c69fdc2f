import jsSha3 from 'js-sha3'
import {
  type Account,
  bytesToHex,
  type Hex,
  hexToBytes,
  isAddress,
  parseSignature,
  serializeTransaction,
  type TransactionSerializable,
} from 'viem'
import { bytesToHexFast, hexToBytesFast } from './hex.js'

const { keccak256: hasher } = jsSha3

/**
 * Signs a transaction with an account's own key. For keys held in memory (viem's
 * `privateKeyToAccount` and HD accounts) it builds the signing payload itself and signs its
 * hash: the same signature and bytes as `account.signTransaction`, for a fraction of the CPU,
 * which matters for a payload of a few kilobytes (a model input) and for bursts of sends. Any
 * other account (a wallet, a remote signer) signs the whole transaction as usual, so it keeps
 * whatever it shows or checks.
 *
 * @example
 * ```ts
 * const serialized = await signLocally(privateKeyToAccount(key), { chainId: 10744, to, data, gas, gasPrice, nonce, type: 'legacy' })
 * ```
 */
export async function signLocally(
  account: Account,
  transaction: TransactionSerializable,
): Promise<Hex> {
  const source = (account as { source?: string }).source
  if ((source !== 'privateKey' && source !== 'hd') || !account.sign) {
    return (await account.signTransaction!(transaction)) as Hex
  }
  const fields = plainFields(transaction)
  if (!fields) {
    // Anything beyond what the SDK sends (values, access lists, other types): viem's encoder.
    const unsigned = hexToBytes(serializeTransaction(transaction))
    const hash = bytesToHex(new Uint8Array(hasher.arrayBuffer(unsigned)))
    const signature = parseSignature(await account.sign({ hash }))
    return serializeTransaction(transaction, signature) as Hex
  }
  const hash = bytesToHexFast(new Uint8Array(hasher.arrayBuffer(fields.unsigned())))
  return bytesToHexFast(fields.signed(splitSignature(await account.sign({ hash }))))
}

type Signature = { r: Uint8Array; s: Uint8Array; yParity: number }

/** `r`, `s` (leading zeros dropped, as RLP integers) and the parity of a 65-byte signature. */
function splitSignature(signature: Hex): Signature {
  const bytes = hexToBytesFast(signature)
  if (bytes.length !== 65) throw new Error(`Expected a 65-byte signature, got ${bytes.length}.`)
  const v = bytes[64]!
  return {
    r: trimZeros(bytes.subarray(0, 32)),
    s: trimZeros(bytes.subarray(32, 64)),
    yParity: v >= 27 ? v - 27 : v,
  }
}

/**
 * The RLP fields of a legacy (EIP-155) or EIP-1559 transaction without value or access list,
 * encoded once for both the signing payload and the signed transaction; `undefined` for any
 * other transaction.
 */
function plainFields(
  transaction: TransactionSerializable,
): { unsigned(): Uint8Array; signed(signature: Signature): Uint8Array } | undefined {
  const t = transaction as TransactionSerializable & {
    gasPrice?: bigint
    maxFeePerGas?: bigint
    maxPriorityFeePerGas?: bigint
    accessList?: readonly unknown[]
    authorizationList?: readonly unknown[]
    blobVersionedHashes?: readonly unknown[]
    sidecars?: unknown
  }
  const { chainId, nonce, gas, to, data } = t
  if (!chainId || chainId < 1 || !Number.isSafeInteger(chainId)) return undefined
  if (t.value || t.accessList?.length || t.authorizationList || t.blobVersionedHashes) {
    return undefined
  }
  if (t.sidecars || (to && !isAddress(to))) return undefined
  // Out-of-range fees and a tip above the fee cap: viem's encoder refuses them with its errors.
  const fees = [gas, t.gasPrice, t.maxFeePerGas, t.maxPriorityFeePerGas]
  if (fees.some((fee) => fee !== undefined && (fee < 0n || fee > maxUint256))) return undefined
  if ((t.maxPriorityFeePerGas ?? 0n) > (t.maxFeePerGas ?? maxUint256)) return undefined
  const common = {
    nonce: integer(BigInt(nonce ?? 0)),
    gas: integer(gas ?? 0n),
    to: to ? hexToBytesFast(to) : empty,
    data: data ? hexToBytesFast(data) : empty,
  }
  if (t.type === 'legacy' && t.gasPrice !== undefined && t.maxFeePerGas === undefined) {
    const head = [common.nonce, integer(t.gasPrice), common.gas, common.to, empty, common.data]
    return {
      unsigned: () => encodeList([...head, integer(BigInt(chainId)), empty, empty]),
      signed: ({ r, s, yParity }) =>
        encodeList([...head, integer(BigInt(chainId) * 2n + 35n + BigInt(yParity)), r, s]),
    }
  }
  if (
    t.type === 'eip1559' &&
    t.maxFeePerGas !== undefined &&
    t.maxPriorityFeePerGas !== undefined &&
    t.gasPrice === undefined
  ) {
    const head = [
      integer(BigInt(chainId)),
      common.nonce,
      integer(t.maxPriorityFeePerGas),
      integer(t.maxFeePerGas),
      common.gas,
      common.to,
      empty,
      common.data,
      emptyList,
    ]
    return {
      unsigned: () => typed(2, encodeList(head)),
      signed: ({ r, s, yParity }) =>
        typed(2, encodeList([...head, integer(BigInt(yParity)), r, s])),
    }
  }
  return undefined
}

const maxUint256 = 2n ** 256n - 1n
const empty = new Uint8Array(0)
// Marks an already encoded item (the empty access list), kept as is by `encodeList`.
const emptyList = Object.assign(new Uint8Array([0xc0]), { encoded: true as const })

/** An RLP integer: big-endian, without leading zeros (zero is the empty string). */
function integer(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError(`A transaction field cannot be negative: ${value}.`)
  if (value === 0n) return empty
  let hex = value.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  return hexToBytesFast(`0x${hex}`)
}

function trimZeros(bytes: Uint8Array): Uint8Array {
  let start = 0
  while (start < bytes.length && bytes[start] === 0) start++
  return bytes.subarray(start)
}

function typed(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 1)
  out[0] = type
  out.set(payload, 1)
  return out
}

/** The RLP length prefix for a string (`offset` 0x80) or a list (`offset` 0xc0). */
function prefix(length: number, offset: number): Uint8Array {
  if (length <= 55) return Uint8Array.of(offset + length)
  const size: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) size.unshift(rest % 256)
  return Uint8Array.of(offset + 55 + size.length, ...size)
}

/** RLP of a list of byte strings (or items marked `encoded`), as one byte array. */
function encodeList(items: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = []
  let length = 0
  for (const item of items) {
    if ((item as { encoded?: true }).encoded || (item.length === 1 && item[0]! < 0x80)) {
      parts.push(item)
      length += item.length
      continue
    }
    const head = prefix(item.length, 0x80)
    parts.push(head, item)
    length += head.length + item.length
  }
  const head = prefix(length, 0xc0)
  const out = new Uint8Array(head.length + length)
  out.set(head, 0)
  let at = head.length
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}
