import { inferencePrecompileAddress, priceHistoryPrecompileAddress } from '@opengradient/core'
import { encodeAbiParameters, keccak256, toHex } from 'viem'
import { describe, expect, test } from 'vitest'
import {
  consumedResultsSlot,
  decodeStandInResult,
  encodeStandInResult,
  resultAccountAddress,
  standInResultWindow,
} from './standInResult.js'

const requestHash = keccak256('0x7289e9c2')

describe('resultAccountAddress', () => {
  test('default: keccak256(abi.encode(standIn, requestHash, occurrence)), low 20 bytes', () => {
    const expected = keccak256(
      encodeAbiParameters(
        [{ type: 'address' }, { type: 'bytes32' }, { type: 'uint256' }],
        [inferencePrecompileAddress, requestHash, 1n],
      ),
    ).slice(26)
    expect(resultAccountAddress(inferencePrecompileAddress, requestHash, 1n).toLowerCase()).toBe(
      `0x${expected}`,
    )
  })

  test('behavior: a request reuses its accounts every standInResultWindow results', () => {
    expect(standInResultWindow).toBe(256n)
    expect(resultAccountAddress(inferencePrecompileAddress, requestHash, 256n)).toBe(
      resultAccountAddress(inferencePrecompileAddress, requestHash, 0n),
    )
    expect(resultAccountAddress(inferencePrecompileAddress, requestHash, 257n)).toBe(
      resultAccountAddress(inferencePrecompileAddress, requestHash, 1n),
    )
  })

  test('behavior: each stand-in, request and occurrence has its own account', () => {
    const accounts = new Set([
      resultAccountAddress(inferencePrecompileAddress, requestHash, 0n),
      resultAccountAddress(inferencePrecompileAddress, requestHash, 1n),
      resultAccountAddress(inferencePrecompileAddress, keccak256('0x01'), 0n),
      resultAccountAddress(priceHistoryPrecompileAddress, requestHash, 0n),
    ])
    expect(accounts.size).toBe(4)
  })
})

describe('consumedResultsSlot', () => {
  test('default: the slot of consumedResults[requestHash] in a mapping at slot 0', () => {
    expect(consumedResultsSlot(requestHash)).toBe(
      keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [requestHash, 0n])),
    )
  })
})

describe('encodeStandInResult', () => {
  test('default: abi.encode(uint256, bool, string, bytes), round trip', () => {
    const result = {
      occurrence: 7n,
      ok: false,
      inferenceId: 'inference/0',
      payload: toHex('Input not found: x'),
    }
    const code = encodeStandInResult(result)
    expect(BigInt(code.slice(0, 66))).toBe(7n)
    expect(decodeStandInResult(code)).toEqual(result)
  })

  test("behavior: the same bytes as viem's encoder, for any lengths and values", () => {
    const parameters = [
      { type: 'uint256' },
      { type: 'bool' },
      { type: 'string' },
      { type: 'bytes' },
    ] as const
    const ids = ['', 'a', 'é👋', '0x'.padEnd(66, 'f'), 'x'.repeat(32), 'y'.repeat(33)]
    const payloads = [0, 1, 31, 32, 33, 4096].map((size) =>
      toHex(Uint8Array.from({ length: size }, (_, index) => (index * 7 + size) % 256)),
    )
    for (const [index, inferenceId] of ids.entries()) {
      for (const payload of payloads) {
        const occurrence = [0n, 1n, 255n, 2n ** 255n, 2n ** 256n - 1n][index % 5]!
        const ok = index % 2 === 0
        expect(encodeStandInResult({ occurrence, ok, inferenceId, payload })).toBe(
          encodeAbiParameters(parameters, [occurrence, ok, inferenceId, payload]),
        )
      }
    }
  })

  test('error: values viem refuses are refused the same way', () => {
    expect(() =>
      encodeStandInResult({ occurrence: -1n, ok: true, inferenceId: '', payload: '0x' }),
    ).toThrow(/-1/)
    expect(() =>
      encodeStandInResult({ occurrence: 0n, ok: true, inferenceId: '', payload: '0xzz' }),
    ).toThrow()
  })
})
