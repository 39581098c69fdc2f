import { inferencePrecompileAddress, priceHistoryPrecompileAddress } from '@opengradient/core'
import { keccak256, toHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { decodeStandInResult, encodeStandInResult, resultAccountAddress } from './standInResult.js'

describe('resultAccountAddress', () => {
  test('default: keccak256(abi.encode(standIn, index)), low 20 bytes, checksummed', () => {
    expect(resultAccountAddress(inferencePrecompileAddress, 0n)).toMatchInlineSnapshot(
      `"0xf14312c19fd298CC7f1D53F633b5b649d52b143D"`,
    )
    expect(resultAccountAddress(inferencePrecompileAddress, 1n)).toMatchInlineSnapshot(
      `"0xBdE71D44A5DF413992d36CA926Ca31824f30A938"`,
    )
  })

  test('behavior: each stand-in has its own accounts', () => {
    expect(resultAccountAddress(priceHistoryPrecompileAddress, 0n)).not.toBe(
      resultAccountAddress(inferencePrecompileAddress, 0n),
    )
  })
})

describe('encodeStandInResult', () => {
  test('default: abi.encode(bytes32, bool, string, bytes), round trip', () => {
    const result = {
      requestHash: keccak256('0x7289e9c2'),
      ok: false,
      inferenceId: 'inference/0',
      payload: toHex('Input not found: x'),
    } as const
    const code = encodeStandInResult(result)
    expect(code.slice(0, 66)).toBe(result.requestHash)
    expect(decodeStandInResult(code)).toEqual(result)
  })
})
