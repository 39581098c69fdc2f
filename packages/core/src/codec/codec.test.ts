// Property tests of the whole codec on seeded random input: every value either round-trips
// exactly or is rejected with an InvalidInputError, never silently changed.

import { describe, expect, test } from 'vitest'
import { InvalidInputError } from '../errors/input.js'
import type { FixedPointNumber, ModelInputValue } from '../types/tensors.js'
import { decodeModelOutput } from './decodeModelOutput.js'
import { encodeFixedPoint } from './encodeFixedPoint.js'
import { encodeFixedPointOutput } from './encodeFixedPointOutput.js'
import { encodeModelInput } from './encodeModelInput.js'
import { fixedPointToDecimalString } from './fixedPointToDecimalString.js'
import { fixedPointToNumber } from './fixedPointToNumber.js'
import { fixedPointToRatio } from './fixedPointToRatio.js'
import { reshapeTensor } from './reshapeTensor.js'

const int128Max = 2n ** 127n - 1n
const int128Min = -(2n ** 127n)

/** xorshift32 with helpers; the seed makes every failure reproducible. */
function createRandom(seed: number) {
  let state = seed >>> 0 || 1
  const view = new DataView(new ArrayBuffer(8))
  const uint32 = () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state
  }
  const float = () => (uint32() * 2097152 + (uint32() >>> 11)) / 9007199254740992
  const int = (min: number, max: number) => min + Math.floor(float() * (max - min + 1))
  return {
    uint32,
    float,
    int,
    chance: (probability: number) => float() < probability,
    pick: <T>(list: readonly T[]): T => list[int(0, list.length - 1)]!,
    digits: (length: number) => Array.from({ length }, () => int(0, 9)).join(''),
    /** Any double, NaN and infinities included, from 64 random bits. */
    bitsAsFloat64: () => {
      view.setUint32(0, uint32())
      view.setUint32(4, uint32())
      return view.getFloat64(0)
    },
    bitsAsFloat32: () => {
      view.setUint32(0, uint32())
      return view.getFloat32(0)
    },
  }
}

/**
 * The input rule written as plainly as possible, as a reference: the decimal text split by a
 * regular expression, trailing zeros stripped, the exponent rule applied with bigint arithmetic.
 */
function referenceEncode(text: string): FixedPointNumber {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (!match) throw new Error(`not a decimal: ${text}`)
  const [, sign, integer = '', fraction = '', exponent = '0'] = match
  let digits = (integer + fraction).replace(/^0+/, '')
  let power = Number(exponent) - fraction.length
  if (digits === '') return { value: 0n, decimals: 0n }
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1)
    power++
  }
  const magnitude = power >= 0 ? BigInt(digits) * 10n ** BigInt(power) : BigInt(digits)
  return { value: sign === '-' ? -magnitude : magnitude, decimals: BigInt(Math.max(0, -power)) }
}

function isSendable({ value, decimals }: FixedPointNumber): boolean {
  return decimals <= 18n && value <= int128Max && value >= int128Min
}

/** Runs `encode`; returns its result, or undefined when it threw an InvalidInputError. */
function attempt<T>(encode: () => T): T | undefined {
  try {
    return encode()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError)
    return undefined
  }
}

function checkNumber(x: number): void {
  const encoded = attempt(() => encodeFixedPoint(x))
  if (!Number.isFinite(x)) {
    expect(encoded, String(x)).toBeUndefined()
    return
  }
  const expected = referenceEncode(String(x))
  if (!isSendable(expected)) {
    expect(encoded, String(x)).toBeUndefined()
    return
  }
  expect(encoded, String(x)).toEqual(expected)
  expect(fixedPointToNumber(encoded!), String(x)).toBe(x === 0 ? 0 : x)
}

describe('behavior: random input (seeded)', () => {
  test('doubles across magnitudes 1e-20 to 1e20', () => {
    const random = createRandom(1)
    for (let i = 0; i < 4000; i++) {
      const x = (random.chance(0.5) ? -1 : 1) * random.float() * 10 ** random.int(-20, 20)
      checkNumber(x)
    }
  })

  test('doubles from random bits', () => {
    const random = createRandom(2)
    for (let i = 0; i < 3000; i++) checkNumber(random.bitsAsFloat64())
  })

  test('integers', () => {
    const random = createRandom(3)
    for (let i = 0; i < 1000; i++) {
      const x = random.int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
      expect(encodeFixedPoint(x)).toEqual({ value: BigInt(x), decimals: 0n })
    }
    for (let i = 0; i < 1000; i++) {
      const digits = random.digits(random.int(1, 41))
      const x = BigInt(`${random.chance(0.5) ? '-' : ''}${digits}`)
      const encoded = attempt(() => encodeFixedPoint(x))
      if (x <= int128Max && x >= int128Min) expect(encoded).toEqual({ value: x, decimals: 0n })
      else expect(encoded).toBeUndefined()
    }
  })

  test('decimal strings', () => {
    const random = createRandom(4)
    for (let i = 0; i < 3000; i++) {
      const integer = random.digits(random.int(0, 25))
      const fraction = random.digits(random.int(integer === '' ? 1 : 0, 25))
      const exponent = random.chance(0.3)
        ? `${random.pick(['e', 'E'])}${random.pick(['', '+', '-'])}${random.digits(random.int(1, 2))}`
        : ''
      const text = `${random.pick(['', '-', '+'])}${integer}${fraction === '' && random.chance(0.5) ? '' : '.'}${fraction}${exponent}`
      const expected = referenceEncode(text)
      const encoded = attempt(() => encodeFixedPoint(text))
      if (!isSendable(expected)) {
        expect(encoded, text).toBeUndefined()
        continue
      }
      expect(encoded, text).toEqual(expected)
      expect(referenceEncode(fixedPointToDecimalString(encoded!)), text).toEqual(expected)
    }
  })

  test('float32 values', () => {
    const random = createRandom(5)
    for (let i = 0; i < 2000; i++) {
      const single = random.chance(0.5)
        ? random.bitsAsFloat32()
        : Math.fround(random.float() * 10 ** random.int(-8, 8))
      const encoded = attempt(() => encodeFixedPoint(single, { float32: true }))
      if (!Number.isFinite(single)) {
        expect(encoded).toBeUndefined()
        continue
      }
      if (encoded === undefined) {
        // Rejected only for too many decimals or int128 overflow.
        expect(Math.abs(single) < 1e-9 || Math.abs(single) > 1.7e38, String(single)).toBe(true)
        continue
      }
      expect(Math.fround(fixedPointToNumber(encoded)), String(single)).toBe(
        single === 0 ? 0 : single,
      )
      const digits = (encoded.value < 0n ? -encoded.value : encoded.value)
        .toString()
        .replace(/0+$/, '')
      expect(digits.length, String(single)).toBeLessThanOrEqual(9)
    }
  })

  test('outputs: the 28-digit encoding decodes to the same double', () => {
    const random = createRandom(6)
    for (let i = 0; i < 2000; i++) {
      const x = random.chance(0.5)
        ? random.bitsAsFloat64()
        : random.float() * 10 ** random.int(-40, 40)
      const encoded = attempt(() => encodeFixedPointOutput(x))
      if (encoded === undefined) {
        expect(!Number.isFinite(x) || Math.abs(x) >= 1.7e38, String(x)).toBe(true)
        continue
      }
      expect(fixedPointToNumber(encoded), String(x)).toBe(x === 0 ? 0 : x)
      const digits = (encoded.value < 0n ? -encoded.value : encoded.value)
        .toString()
        .replace(/0+$/, '')
      expect(digits.length).toBeLessThanOrEqual(28)
    }
  })

  test('decoders agree with the exact decimal text', () => {
    const random = createRandom(7)
    for (let i = 0; i < 2000; i++) {
      const digits = random.digits(random.int(1, 39))
      const value = BigInt(`${random.chance(0.5) ? '-' : ''}${digits}`)
      const decimals = BigInt(random.int(-30, 60))
      const fixedPoint = { value, decimals }
      const text = fixedPointToDecimalString(fixedPoint)
      // The engine parses decimal text with correct rounding.
      expect(fixedPointToNumber(fixedPoint), text).toBe(Number(text))
      expect(referenceEncode(text)).toEqual(
        referenceEncode(`${value}e${-decimals}`), // same number, normalised
      )
      const { numerator, denominator } = fixedPointToRatio(fixedPoint)
      expect(numerator * 10n ** (decimals > 0n ? decimals : 0n)).toBe(
        value * 10n ** (decimals < 0n ? -decimals : 0n) * denominator,
      )
    }
  })

  test('nested tensors: row-major, shapes kept, bad elements located', () => {
    const random = createRandom(8)
    for (let i = 0; i < 1000; i++) {
      const shape = Array.from({ length: random.int(1, 4) }, () => random.int(0, 4))
      const size = shape.reduce((product, dimension) => product * dimension, 1)
      const kind = random.pick(['number', 'bigint', 'decimal', 'string'] as const)
      const flat: (number | bigint | string)[] = Array.from({ length: size }, () => {
        const scaled = random.int(-1e6, 1e6) / 10 ** random.int(0, 8)
        if (kind === 'number') return scaled
        if (kind === 'bigint') return BigInt(random.int(-1e9, 1e9))
        if (kind === 'decimal') return String(scaled)
        return `s${random.int(0, 99)}`
      })
      const nested = reshapeTensor({ shape, data: flat })
      const value = (
        kind === 'decimal' ? { type: 'number', values: nested } : nested
      ) as ModelInputValue

      const corrupt = size > 0 && random.chance(0.5)
      if (!corrupt) {
        const input = encodeModelInput({ t: value })
        if (kind === 'string' && size > 0) {
          expect(input.strings).toEqual([{ name: 't', values: flat }])
          continue
        }
        // An empty nested list is a number tensor, whatever its elements would have been, and
        // nesting cannot show the dimensions after a zero.
        const zero = shape.indexOf(0)
        expect(input.numbers).toEqual([
          {
            name: 't',
            values: flat.map((element) => encodeFixedPoint(element)),
            shape: zero < 0 ? shape : shape.slice(0, zero + 1),
          },
        ])
        const output = decodeModelOutput({ numbers: input.numbers })
        expect(output.numbers.t?.data).toEqual(flat.map(Number))
        continue
      }

      // One bad element: the error names the tensor and the element's path (or flat index).
      const index = random.int(0, size - 1)
      const broken = [...flat] as unknown[]
      broken[index] = random.pick([Number.NaN, Number.POSITIVE_INFINITY, true, null, {}, 1e-19])
      const brokenNested = reshapeTensor({ shape, data: broken })
      const brokenValue =
        kind === 'decimal' ? { type: 'number', values: brokenNested } : brokenNested
      let thrown: unknown
      try {
        encodeModelInput({ ok: [1], t: brokenValue as ModelInputValue })
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(InvalidInputError)
      const { tensorName, index: reported } = thrown as InvalidInputError
      expect(tensorName).toBe('t')
      expect(reported).toEqual(shape.length > 1 ? unravel(index, shape) : index)
    }
  })
})

function unravel(index: number, shape: readonly number[]): number[] {
  const path: number[] = []
  let rest = index
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    path.unshift(rest % shape[axis]!)
    rest = Math.floor(rest / shape[axis]!)
  }
  return path
}
