import {
  CandleOrder,
  CandleType,
  type HistoricalInputQuery,
  InvalidInputError,
} from '@opengradient/core'
import { describe, expect, test } from 'vitest'
import { toAbiHistoricalInputQuery } from './workflowQuery.js'

const query: HistoricalInputQuery = {
  base: 'ETH',
  quote: 'USDT',
  totalCandles: 10,
  candleDurationInMinutes: 60,
  order: CandleOrder.ASCENDING,
  candleTypes: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
}

describe('toAbiHistoricalInputQuery', () => {
  test('default', () => {
    expect(toAbiHistoricalInputQuery(query)).toEqual({
      base: 'ETH',
      quote: 'USDT',
      total_candles: 10,
      candle_duration_in_mins: 60,
      order: 0,
      candle_types: [2, 0, 1, 3],
    })
  })

  test('error: values the contract cannot carry', () => {
    const bad: [Partial<HistoricalInputQuery>, string][] = [
      [{ totalCandles: 0 }, '"totalCandles" must be a positive integer, got 0.'],
      [
        { candleDurationInMinutes: 1.5 },
        '"candleDurationInMinutes" must be a positive integer, got 1.5.',
      ],
      [{ totalCandles: 2 ** 32 }, '"totalCandles" must be a positive integer, got 4294967296.'],
      [
        { order: 2 as CandleOrder },
        '"order" must be CandleOrder.ASCENDING (0) or CandleOrder.DESCENDING (1), got 2.',
      ],
      [{ candleTypes: [] }, '"candleTypes" must name at least one candle field.'],
      [{ base: '' }, 'The candle query needs a base and a quote asset, e.g. "ETH" and "USDT".'],
    ]
    for (const [change, message] of bad) {
      let error: unknown
      try {
        toAbiHistoricalInputQuery({ ...query, ...change })
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(InvalidInputError)
      expect((error as InvalidInputError).shortMessage).toBe(message)
    }
    try {
      toAbiHistoricalInputQuery({ ...query, candleTypes: [CandleType.OPEN, 9 as CandleType] })
    } catch (error) {
      expect((error as InvalidInputError).index).toBe(1)
    }
  })
})
