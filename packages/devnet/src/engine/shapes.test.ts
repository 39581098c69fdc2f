import { describe, expect, test } from 'vitest'
import { fitShape, formatShape } from './shapes.js'

describe('fitShape', () => {
  test('default', () => {
    expect(fitShape([3], 3, ['n'])).toEqual({ shape: [3] })
    expect(fitShape([10, 4], 40, [10, 4])).toEqual({ shape: [10, 4] })
  })

  test('args: model without a declared shape takes the given one', () => {
    expect(fitShape([2, 3], 6, [])).toEqual({ shape: [2, 3] })
  })

  test('behavior: another rank with the same size takes the declared shape', () => {
    expect(fitShape([3], 3, [1, 3])).toEqual({ shape: [1, 3] })
    expect(fitShape([1, 3], 3, [3])).toEqual({ shape: [3] })
    expect(fitShape([12], 12, [3, 4])).toEqual({ shape: [3, 4] })
    expect(fitShape([40], 40, ['batch', 10, 4])).toEqual({ shape: [1, 10, 4] })
    expect(fitShape([3], 3, [1, 'n'])).toEqual({ shape: [1, 3] })
  })

  test('behavior: several free dimensions take leading ones', () => {
    expect(fitShape([24, 5], 120, ['batch', 'time', 5])).toEqual({ shape: [1, 24, 5] })
    expect(fitShape([1, 1, 7], 7, ['n'])).toEqual({ shape: [7] })
  })

  test('error: values and shape disagree', () => {
    expect(fitShape([2, 2], 3, [2, 2])).toEqual({ error: 'shape [2,2] needs 4 values, got 3' })
  })

  test('error: same rank, other fixed dimensions', () => {
    expect(fitShape([2, 6], 12, [3, 4])).toEqual({ error: 'got [2,6], model expects [3,4]' })
  })

  test('error: a rank that cannot be reconciled', () => {
    expect(fitShape([2, 2], 4, [1, 3])).toEqual({ error: 'got [2,2], model expects [1,3]' })
    expect(fitShape([6], 6, ['a', 'b', 4])).toEqual({ error: 'got [6], model expects [a,b,4]' })
  })
})

describe('formatShape', () => {
  test('default', () => {
    expect(formatShape([1, 'n', -1])).toBe('[1,n,?]')
  })
})
