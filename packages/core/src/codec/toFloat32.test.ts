import { describe, expect, test } from 'vitest'
import { toFloat32 } from './toFloat32.js'

test('default', () => {
  expect(toFloat32({ value: 3774157376028597354888916016n, decimals: 31n })).toBe(
    Math.fround(0.00037741574),
  )
})

describe('behavior', () => {
  test.each([
    [{ value: 11n, decimals: 0n }, 11],
    [{ value: 1000000000000000055511151231n, decimals: 28n }, Math.fround(0.1)],
    [{ value: 100000001490116119384765625n, decimals: 27n }, Math.fround(0.1)],
    [{ value: -15n, decimals: 1n }, -1.5],
    [{ value: 1n, decimals: -39n }, Number.POSITIVE_INFINITY],
    [{ value: 1n, decimals: 46n }, 0],
  ])('%o', (input, expected) => {
    expect(toFloat32(input)).toBe(expected)
  })
})
