import { bench, describe } from 'vitest'
import { encodeFixedPoint } from './encodeFixedPoint.js'
import { fixedPointToDecimalString } from './fixedPointToDecimalString.js'
import { fixedPointToNumber } from './fixedPointToNumber.js'

// Each bench call processes one million values; a few calls give a stable figure in seconds.
const options = { iterations: 5, time: 0, warmupIterations: 2, warmupTime: 0 }
const count = 1_000_000

// Random doubles sign × [1, 10) × 10^k for k from -2 to 15: full 15 to 17 digit mantissas, all
// within the 18 decimals the network accepts. A seeded xorshift32 keeps runs comparable.
let state = 0x2545f491
function random(): number {
  state ^= state << 13
  state ^= state >>> 17
  state ^= state << 5
  state >>>= 0
  return state / 4294967296
}
const doubles = new Float64Array(count)
for (let i = 0; i < count; i++) {
  const sign = random() < 0.5 ? -1 : 1
  doubles[i] = sign * (1 + 9 * random()) * 10 ** (Math.floor(random() * 18) - 2)
}
const fixedPoints = Array.from(doubles, (x) => encodeFixedPoint(x))
const decimalTexts = fixedPoints.map(fixedPointToDecimalString)

// Results feed a sink so the engine cannot drop the calls.
const sink = { count: 0, total: 0 }

describe('encode 1,000,000 random float64', () => {
  bench(
    'String(x) floor',
    () => {
      for (let i = 0; i < count; i++) if (String(doubles[i]).length === 3) sink.count++
    },
    options,
  )

  bench(
    'encodeFixedPoint',
    () => {
      for (let i = 0; i < count; i++)
        if (encodeFixedPoint(doubles[i]!).decimals === 0n) sink.count++
    },
    options,
  )
})

describe('decode 1,000,000 fixed-point numbers', () => {
  bench(
    'Number(string) floor',
    () => {
      for (let i = 0; i < count; i++) sink.total += Number(decimalTexts[i])
    },
    options,
  )

  bench(
    'fixedPointToNumber',
    () => {
      for (let i = 0; i < count; i++) sink.total += fixedPointToNumber(fixedPoints[i]!)
    },
    options,
  )
})
