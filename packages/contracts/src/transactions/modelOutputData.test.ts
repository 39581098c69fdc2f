import { decodeAbiParameters, encodeAbiParameters, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { inferenceHubAbi } from '../generated/InferenceHub.js'
import { type AbiModelOutputData, decodeModelOutputData } from './modelOutputData.js'

const parameters = (
  inferenceHubAbi.find((item) => item.type === 'event' && item.name === 'InferenceResult') as {
    inputs: readonly { type: string }[]
  }
).inputs

const encode = (output: AbiModelOutputData) =>
  encodeAbiParameters(parameters as never, [output] as never)
const viemDecode = (data: Hex) => (decodeAbiParameters(parameters as never, data) as [unknown])[0]

function outcome(decode: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: decode() }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

describe('decodeModelOutputData', () => {
  test('default: the same value as viem for varied outputs', () => {
    const next = random(7)
    const text = () =>
      ['', 'a', 'héllo', '👋 world', 'x'.repeat(33), '{"k":[1,2]}'][Math.floor(next() * 6)]!
    const int128 = () =>
      [0n, 1n, -1n, 11n, (1n << 127n) - 1n, -(1n << 127n), -12345678901234567890n][
        Math.floor(next() * 7)
      ]!
    for (let round = 0; round < 60; round++) {
      const output: AbiModelOutputData = {
        numbers: Array.from({ length: Math.floor(next() * 4) }, () => ({
          name: text(),
          values: Array.from({ length: Math.floor(next() * 5) }, () => ({
            value: int128(),
            decimals: int128(),
          })),
          shape: Array.from({ length: Math.floor(next() * 3) }, () => Math.floor(next() * 2 ** 32)),
        })),
        strings: Array.from({ length: Math.floor(next() * 3) }, () => ({
          name: text(),
          values: Array.from({ length: Math.floor(next() * 4) }, text),
        })),
        jsons: Array.from({ length: Math.floor(next() * 3) }, () => ({
          name: text(),
          value: text(),
        })),
        is_simulation_result: next() < 0.5,
      }
      const data = encode(output)
      expect(decodeModelOutputData(data)).toEqual(viemDecode(data))
      expect(decodeModelOutputData(data)).toEqual(output)
    }
  })

  test('behavior: words viem reads leniently (dirty high bits) decode as viem decodes them', () => {
    const data = encode({
      numbers: [{ name: 'y', values: [{ value: 5n, decimals: 0n }], shape: [1] }],
      strings: [],
      jsons: [],
      is_simulation_result: false,
    })
    // The shape word of `y` holds 1; give it a high bit that no uint32 has.
    const words = data.slice(2).match(/.{64}/g)!
    const shapeWord = words.lastIndexOf(`${'0'.repeat(63)}1`)
    words[shapeWord] = `01${'0'.repeat(61)}1`
    const dirty = `0x${words.join('')}` as Hex
    expect(outcome(() => decodeModelOutputData(dirty))).toEqual(outcome(() => viemDecode(dirty)))
    // A flag word of 2 is no boolean.
    const flagged = encode({ numbers: [], strings: [], jsons: [], is_simulation_result: true })
    const two =
      `${flagged.slice(0, 2 + 64 + 64 * 3)}${'0'.repeat(63)}2${flagged.slice(2 + 64 * 5)}` as Hex
    expect(outcome(() => decodeModelOutputData(two))).toEqual(outcome(() => viemDecode(two)))
    expect(outcome(() => viemDecode(two))).toHaveProperty('error')
  })

  test("error: truncated data fails with viem's error", () => {
    const data = encode({
      numbers: [],
      strings: [{ name: 's', values: ['abc'] }],
      jsons: [],
      is_simulation_result: true,
    })
    const truncated = data.slice(0, data.length - 64) as Hex
    expect(() => viemDecode(truncated)).toThrow()
    expect(() => decodeModelOutputData(truncated)).toThrow(
      (() => {
        try {
          viemDecode(truncated)
        } catch (error) {
          return (error as Error).message
        }
        return 'unreachable'
      })(),
    )
  })
})
