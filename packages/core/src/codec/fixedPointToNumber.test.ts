import { describe, expect, test } from 'vitest'
import { fixedPointToNumber } from './fixedPointToNumber.js'

const pair = (value: bigint, decimals: bigint) => ({ value, decimals })

test('default', () => {
  expect(fixedPointToNumber(pair(15n, 1n))).toBe(1.5)
})

describe('behavior', () => {
  test.each([
    // Small values: one exact division or multiplication.
    [pair(1n, 1n), 0.1],
    [pair(-25n, 1n), -2.5],
    [pair(30000000000000004n, 17n), 0.30000000000000004],
    [pair(0n, 0n), 0],
    [pair(0n, 400n), 0],
    [pair(5n, -2n), 500],
    [pair(-7n, -22n), -7e22],
    [pair(1n, 22n), 1e-22],
    [pair(9007199254740991n, 0n), 9007199254740991],
    // The workflow conversion cases of the reference.
    [pair(1000n, 2n), 10],
    [pair(2000n, 2n), 20],
    [pair(1000000000n, 8n), 10],
    [pair(-1000n, 2n), -10],
    // Output values with more than 18 decimals.
    [pair(3774157376028597354888916016n, 31n), 0.00037741573760285974],
    [pair(1000000000000000055511151231n, 28n), 0.1],
    [pair(1000000011686097423080354929n, 34n), Math.fround(1e-7)],
    [pair(4940656458412465441765687929n, 351n), 5e-324],
    // Beyond 2^53 the value is rounded once, to the nearest double (ties to even).
    [pair(9007199254740993n, 0n), 9007199254740992],
    [pair(9007199254740995n, 0n), 9007199254740996],
    [pair(12345678901234567n, 2n), 123456789012345.67],
    [pair(-12345678901234568n, 17n), -0.12345678901234568],
    [pair(1n, 23n), 1e-23],
    [pair(3n, -23n), 3e23],
    // Beyond the double range.
    [pair(1n, 400n), 0],
    [pair(-1n, 400n), -0],
    [pair(1n, -309n), Number.POSITIVE_INFINITY],
    [pair(-1n, -400n), Number.NEGATIVE_INFINITY],
    [pair(17n, 170141183460469231731687303715884105727n), 0],
    [pair(17n, -170141183460469231731687303715884105728n), Number.POSITIVE_INFINITY],
  ])('%o', (input, expected) => {
    expect(fixedPointToNumber(input)).toBe(expected)
  })

  test('never rounds twice', () => {
    // Converting the value to a double and then dividing rounds twice and misses by one ulp.
    const value = pair(3035891285995149152036589282n, 21n)
    expect(fixedPointToNumber(value)).toBe(3035891.285995149)
    expect(Number(value.value) / 1e21).toBe(3035891.2859951495)
  })
})
