import { describe, expect, test } from 'vitest'
import { fixedPointToDecimalString } from './fixedPointToDecimalString.js'

const pair = (value: bigint, decimals: bigint) => ({ value, decimals })

test('default', () => {
  expect(fixedPointToDecimalString(pair(3774157376028597354888916016n, 31n))).toBe(
    '0.0003774157376028597354888916016',
  )
})

describe('behavior', () => {
  test.each([
    [pair(-15n, 1n), '-1.5'],
    [pair(5n, -2n), '500'],
    [pair(0n, 5n), '0'],
    [pair(0n, -5n), '0'],
    [pair(1n, 1n), '0.1'],
    [pair(-1n, 3n), '-0.001'],
    [pair(12345n, 2n), '123.45'],
    [pair(12345n, 5n), '0.12345'],
    [pair(12345n, 0n), '12345'],
    // Trailing zeros of the fraction are dropped.
    [pair(1500n, 3n), '1.5'],
    [pair(100n, 2n), '1'],
    [pair(1000n, 1n), '100'],
    [pair(2n ** 127n - 1n, 18n), '170141183460469231731.687303715884105727'],
    [pair(-(2n ** 127n), 40n), '-0.0170141183460469231731687303715884105728'],
    [pair(4940656458412465441765687929n, 351n), `0.${'0'.repeat(323)}4940656458412465441765687929`],
    // Extreme exponents switch to exponent notation instead of thousands of zeros.
    [pair(15n, 2001n), '1.5e-2000'],
    [pair(-15n, -2000n), '-1.5e+2001'],
    [
      pair(7n, 170141183460469231731687303715884105727n),
      '7e-170141183460469231731687303715884105727',
    ],
    [pair(1n, -1000n), `1${'0'.repeat(1000)}`],
  ])('%o', (input, expected) => {
    expect(fixedPointToDecimalString(input)).toBe(expected)
  })
})
