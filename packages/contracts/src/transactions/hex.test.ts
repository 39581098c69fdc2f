import { bytesToHex, type Hex, hexToBytes } from 'viem'
import { describe, expect, test } from 'vitest'
import { bytesToHexFast, hexToBytesFast } from './hex.js'

describe('hex conversions', () => {
  test('default: the same bytes and text as viem, at any length', () => {
    for (const length of [0, 1, 2, 31, 32, 33, 4095, 4096, 70_000]) {
      const bytes = Uint8Array.from({ length }, (_, index) => (index * 37 + length) % 256)
      const hex = bytesToHex(bytes)
      expect(bytesToHexFast(bytes)).toBe(hex)
      expect(hexToBytesFast(hex)).toEqual(bytes)
      expect(hexToBytesFast(hex.toUpperCase().replace('0X', '0x') as Hex)).toEqual(bytes)
    }
  })

  test('behavior: a view into a larger buffer converts only its own bytes', () => {
    const whole = Uint8Array.from([1, 2, 3, 4, 5])
    expect(bytesToHexFast(whole.subarray(1, 3))).toBe('0x0203')
  })

  test('error: malformed hex is refused as viem refuses it', () => {
    for (const bad of ['0x0g', '0x123', '0xzz00', '12ab'] as Hex[]) {
      let viemError: unknown
      try {
        hexToBytes(bad)
      } catch (error) {
        viemError = error
      }
      if (viemError) expect(() => hexToBytesFast(bad)).toThrow((viemError as Error).message)
      else expect(hexToBytesFast(bad)).toEqual(hexToBytes(bad))
    }
  })
})
