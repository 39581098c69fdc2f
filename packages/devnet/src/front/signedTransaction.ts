import type { Address, Hex } from '@opengradient/core'
import { bytesToHex, parseTransaction, type TransactionSerialized } from 'viem'
import { keccak256Bytes } from './keccak.js'
import { loadNativeSecp256k1, recoverSender } from './sender.js'

/** What the front reads of a signed transaction before pre-executing it. */
export type SignedTransactionFields = {
  from: Address
  to: Address | null
  data: Hex
  /** Hex quantity, absent when zero. */
  value: Hex | undefined
  gas: Hex
  nonce: number
}

/** One RLP item: where its encoding begins, where its payload starts and ends. */
type RlpItem = { position: number; start: number; end: number; list: boolean }

function readItem(bytes: Uint8Array, position: number): RlpItem {
  const prefix = bytes[position]
  if (prefix === undefined) throw new RangeError('RLP item out of bounds')
  if (prefix < 0x80) return { position, start: position, end: position + 1, list: false }
  const list = prefix >= 0xc0
  const base = list ? 0xc0 : 0x80
  let start = position + 1
  let length = prefix - base
  if (length > 55) {
    const lengthOfLength = length - 55
    length = 0
    for (let index = 0; index < lengthOfLength; index++) {
      length = length * 256 + bytes[start + index]!
    }
    start += lengthOfLength
  }
  const end = start + length
  if (end > bytes.length) throw new RangeError('RLP item out of bounds')
  return { position, start, end, list }
}

function readList(bytes: Uint8Array, position: number): { items: RlpItem[]; end: number } {
  const list = readItem(bytes, position)
  if (!list.list) throw new RangeError('Expected an RLP list')
  const items: RlpItem[] = []
  for (let cursor = list.start; cursor < list.end; ) {
    const item = readItem(bytes, cursor)
    items.push(item)
    cursor = item.end
  }
  return { items, end: list.end }
}

/** The RLP list header for a payload of `length` bytes. */
function listHeader(length: number): Uint8Array {
  if (length < 56) return Uint8Array.of(0xc0 + length)
  const digits: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) digits.unshift(rest % 256)
  return Uint8Array.of(0xf7 + digits.length, ...digits)
}

/** RLP encoding of a non-negative integer. */
function encodeInteger(value: bigint): Uint8Array {
  if (value === 0n) return Uint8Array.of(0x80)
  const digits: number[] = []
  for (let rest = value; rest > 0n; rest >>= 8n) digits.unshift(Number(rest & 0xffn))
  if (digits.length === 1 && digits[0]! < 0x80) return Uint8Array.of(digits[0]!)
  return Uint8Array.of(0x80 + digits.length, ...digits)
}

function integerOf(bytes: Uint8Array, item: RlpItem): bigint {
  let value = 0n
  for (let index = item.start; index < item.end; index++) {
    value = (value << 8n) | BigInt(bytes[index]!)
  }
  return value
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** Field positions of the transaction types read here: `[nonce, gas, to, value, data]`. */
const layouts: Record<number, { fields: number; nonce: number; gas: number }> = {
  // EIP-2930: chainId, nonce, gasPrice, gas, to, value, data, accessList, yParity, r, s
  1: { fields: 11, nonce: 1, gas: 3 },
  // EIP-1559: chainId, nonce, maxPriorityFee, maxFee, gas, to, value, data, accessList, …
  2: { fields: 12, nonce: 1, gas: 4 },
  // EIP-7702: as EIP-1559 with an authorization list before the signature
  4: { fields: 13, nonce: 1, gas: 4 },
}

/**
 * Reads the sender and the fields the front needs from a signed raw transaction. Every send
 * through the front passes here, so it works on the RLP bytes directly: the calldata is a slice
 * of the input, the signing payload is rebuilt from the original field encodings, and the
 * sender is recovered with libsecp256k1. Transaction types it does not know (blob
 * transactions), and machines without the native library, take viem's parser instead.
 *
 * @example
 * ```ts
 * const { from, to, data, nonce } = await readSignedTransaction(serializedTransaction)
 * ```
 */
export async function readSignedTransaction(serialized: Hex): Promise<SignedTransactionFields> {
  const secp = loadNativeSecp256k1()
  const bytes = hexBytes(serialized)
  const type = bytes[0]
  const fast = secp && type !== undefined && (type >= 0xc0 || layouts[type] !== undefined)
  if (!fast) return await readWithViem(serialized)

  const typed = type < 0xc0
  const { items, end } = readList(bytes, typed ? 1 : 0)
  if (end !== bytes.length) throw new RangeError('Trailing bytes after the transaction')
  const layout = typed ? layouts[type]! : { fields: 9, nonce: 0, gas: 2 }
  if (items.length !== layout.fields) {
    throw new RangeError(`Expected ${layout.fields} fields, found ${items.length}`)
  }
  const at = (index: number) => items[index]!
  const to = at(layout.gas + 1)
  const value = at(layout.gas + 2)
  const data = at(layout.gas + 3)
  const [signatureField, r, s] = items.slice(-3) as [RlpItem, RlpItem, RlpItem]

  // The signing payload: the same field encodings without the signature, in a new list.
  let body = bytes.subarray(items[0]!.position, signatureField.position)
  let recovery: number
  if (typed) recovery = Number(integerOf(bytes, signatureField))
  else {
    const v = integerOf(bytes, signatureField)
    if (v >= 35n) {
      // EIP-155: the chain id and two empty fields stand where the signature goes.
      recovery = Number((v - 35n) % 2n)
      body = concat([body, encodeInteger((v - 35n) / 2n), Uint8Array.of(0x80, 0x80)])
    } else recovery = Number(v - 27n)
  }
  if (recovery !== 0 && recovery !== 1) throw new RangeError('Invalid signature recovery id')
  const payload = concat([...(typed ? [Uint8Array.of(type)] : []), listHeader(body.length), body])
  const signature = new Uint8Array(64)
  signature.set(bytes.subarray(r.start, r.end), 32 - (r.end - r.start))
  signature.set(bytes.subarray(s.start, s.end), 64 - (s.end - s.start))
  const publicKey = secp!.ecdsaRecover(signature, recovery, keccak256Bytes(payload), false)
  const from = `0x${bytesToHex(keccak256Bytes(publicKey.subarray(1))).slice(26)}` as Address

  const hexOf = (item: RlpItem) =>
    `0x${serialized.slice(2 + item.start * 2, 2 + item.end * 2)}` as Hex
  const quantity = (item: RlpItem) => `0x${integerOf(bytes, item).toString(16)}` as Hex
  return {
    from,
    to: to.end > to.start ? (hexOf(to) as Address) : null,
    data: data.end > data.start ? hexOf(data) : '0x',
    value: value.end > value.start ? quantity(value) : undefined,
    gas: quantity(at(layout.gas)),
    nonce: Number(integerOf(bytes, at(layout.nonce))),
  }
}

async function readWithViem(serialized: Hex): Promise<SignedTransactionFields> {
  const transaction = parseTransaction(serialized as TransactionSerialized)
  const from = await recoverSender(serialized, transaction)
  return {
    from,
    to: transaction.to ?? null,
    data: transaction.data ?? '0x',
    value: transaction.value ? `0x${transaction.value.toString(16)}` : undefined,
    gas: `0x${(transaction.gas ?? 0n).toString(16)}`,
    nonce: transaction.nonce ?? 0,
  }
}

/** Hex to bytes with Node's native decoder; malformed text is a `RangeError` (left to anvil). */
function hexBytes(hex: Hex): Uint8Array {
  const digits = hex.length - 2
  const bytes = Buffer.from(hex.slice(2), 'hex')
  if (!hex.startsWith('0x') || digits % 2 !== 0 || bytes.length * 2 !== digits) {
    throw new RangeError('The transaction is not valid hex.')
  }
  return bytes
}
