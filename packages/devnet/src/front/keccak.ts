import jsSha3 from 'js-sha3'

const { keccak256: hasher } = jsSha3

/**
 * `keccak256` of bytes, as bytes. The front hashes every transaction it reads (a few kilobytes
 * of calldata each), and js-sha3 does that several times faster than the pure-JS hash viem
 * ships on this path.
 *
 * @example
 * ```ts
 * const digest = keccak256Bytes(new Uint8Array([1, 2, 3]))
 * ```
 */
export function keccak256Bytes(data: Uint8Array): Uint8Array {
  return new Uint8Array(hasher.arrayBuffer(data))
}
