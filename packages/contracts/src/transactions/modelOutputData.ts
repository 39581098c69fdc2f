import { decodeAbiParameters, type Hex } from 'viem'
import { inferenceHubAbi } from '../generated/InferenceHub.js'
import { hexToBytesFast } from './hex.js'

/** A `ModelOutput` as viem decodes it: int128 pairs as bigints, shapes as numbers. */
export type AbiModelOutputData = {
  numbers: { name: string; values: { value: bigint; decimals: bigint }[]; shape: number[] }[]
  strings: { name: string; values: string[] }[]
  jsons: { name: string; value: string }[]
  is_simulation_result: boolean
}

const outputParameters = (
  inferenceHubAbi.find((item) => item.type === 'event' && item.name === 'InferenceResult') as {
    inputs: readonly { type: string }[]
  }
).inputs

const int128Max = (1n << 127n) - 1n
const int128Min = -(1n << 127n)
const utf8 = new TextDecoder()

// Thrown inside the reader when the data is not plainly well formed; the caller then lets
// viem decode it, which gives the same value or its own error.
const unusual = Symbol('unusual')

/**
 * Decodes the data of an `InferenceResult(ModelOutput)` event (`abi.encode(output)`): the same
 * value as viem's `decodeAbiParameters`, read straight from the bytes. viem converts every word
 * through hex text; a receipt of a model run holds a few kilobytes of them, decoded on every
 * inference. Anything unusual (an offset out of bounds, a number beyond its type, a flag other
 * than 0 or 1) goes to viem, so malformed data fails exactly as it would there.
 *
 * @example
 * ```ts
 * const output = decodeModelOutputData(log.data)
 * output.numbers[0]?.values[0] // { value: 11n, decimals: 0n }
 * ```
 */
export function decodeModelOutputData(data: Hex): AbiModelOutputData {
  const bytes = hexToBytesFast(data)
  try {
    return readOutput(bytes)
  } catch (error) {
    if (error !== unusual) throw error
    const [output] = decodeAbiParameters(outputParameters as never, bytes) as [AbiModelOutputData]
    return output
  }
}

function readOutput(bytes: Uint8Array): AbiModelOutputData {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)

  /** A word that must hold a small non-negative integer (an offset, a length, a uint32). */
  function small(at: number, limit = bytes.length): number {
    if (at < 0 || at + 32 > bytes.length) throw unusual
    for (let index = at; index < at + 28; index++) if (bytes[index] !== 0) throw unusual
    const value = view.getUint32(at + 28)
    if (value > limit) throw unusual
    return value
  }

  function int128(at: number): bigint {
    if (at + 32 > bytes.length) throw unusual
    let value = (view.getBigUint64(at) << 192n) | (view.getBigUint64(at + 8) << 128n)
    value |= (view.getBigUint64(at + 16) << 64n) | view.getBigUint64(at + 24)
    if (bytes[at]! >= 0x80) value -= 1n << 256n
    if (value > int128Max || value < int128Min) throw unusual
    return value
  }

  function string(at: number): string {
    const length = small(at)
    if (at + 32 + length > bytes.length) throw unusual
    return utf8.decode(bytes.subarray(at + 32, at + 32 + length))
  }

  /** The elements of a dynamic array at `at`, each read from its own offset. */
  function dynamicArray<T>(at: number, read: (start: number) => T): T[] {
    const length = small(at, (bytes.length - at) / 32)
    const base = at + 32
    const out: T[] = new Array(length)
    for (let index = 0; index < length; index++) out[index] = read(base + small(base + index * 32))
    return out
  }

  function staticArray<T>(at: number, words: number, read: (start: number) => T): T[] {
    const length = small(at, (bytes.length - at) / (32 * words))
    const out: T[] = new Array(length)
    for (let index = 0; index < length; index++) out[index] = read(at + 32 + index * 32 * words)
    return out
  }

  const start = small(0)
  const flag = small(start + 96, 1)
  return {
    numbers: dynamicArray(start + small(start), (tensor) => ({
      name: string(tensor + small(tensor)),
      values: staticArray(tensor + small(tensor + 32), 2, (pair) => ({
        value: int128(pair),
        decimals: int128(pair + 32),
      })),
      shape: staticArray(tensor + small(tensor + 64), 1, (word) => small(word, 0xffffffff)),
    })),
    strings: dynamicArray(start + small(start + 32), (tensor) => ({
      name: string(tensor + small(tensor)),
      values: dynamicArray(tensor + small(tensor + 32), string),
    })),
    jsons: dynamicArray(start + small(start + 64), (scalar) => ({
      name: string(scalar + small(scalar)),
      value: string(scalar + small(scalar + 32)),
    })),
    is_simulation_result: flag === 1,
  }
}
