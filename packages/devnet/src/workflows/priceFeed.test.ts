import { readFile } from 'node:fs/promises'
import { CandleOrder, CandleType, type HistoricalInputQuery } from '@opengradient/core'
import { beforeAll, describe, expect, test } from 'vitest'
import { candleDataPath } from './candleSources.js'
import { createPriceFeed } from './priceFeed.js'

const hour = 3600
// Rows of the shipped file, read here independently of the feed.
let ethRows: string[][]

beforeAll(async () => {
  const text = await readFile(candleDataPath('ETHUSDT-1h.csv'), 'utf8')
  ethRows = text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
})

const query = (overrides: Partial<HistoricalInputQuery> = {}): HistoricalInputQuery => ({
  base: 'ETH',
  quote: 'USD',
  totalCandles: 3,
  candleDurationInMinutes: 60,
  order: CandleOrder.ASCENDING,
  candleTypes: [CandleType.CLOSE, CandleType.OPEN],
  ...overrides,
})

/** 2024-11-15 12:00 UTC. */
const noon = Date.UTC(2024, 10, 15, 12) / 1000

function rowAt(openTime: number): string[] {
  const row = ethRows.find((cells) => Number(cells[0]) === openTime * 1000)
  if (!row) throw new Error(`no row at ${openTime}`)
  return row
}

describe('createPriceFeed', () => {
  test('default: the last complete candles, columns in the asked order', () => {
    const feed = createPriceFeed()
    // Half past noon: the 12:00 candle is not complete yet; the last one opened at 11:00.
    const rows = feed.matrix(query(), noon + 1800)
    const expected = [noon - 3 * hour, noon - 2 * hour, noon - hour].map((time) => {
      const [, open, , , close] = rowAt(time)
      return [close, open]
    })
    expect(rows).toEqual(expected)
    // At exactly 13:00 the 12:00 candle is complete.
    expect(feed.matrix(query({ totalCandles: 1 }), noon + hour)).toEqual([
      [rowAt(noon)[4], rowAt(noon)[1]],
    ])
  })

  test('args: DESCENDING gives newest first', () => {
    const feed = createPriceFeed()
    const ascending = feed.candles(query({ totalCandles: 5 }), noon)
    const descending = feed.candles(query({ totalCandles: 5, order: CandleOrder.DESCENDING }), noon)
    expect(descending).toEqual([...ascending].reverse())
  })

  test('args: every candle type maps to its column', () => {
    const feed = createPriceFeed()
    const all = [
      CandleType.HIGH,
      CandleType.LOW,
      CandleType.OPEN,
      CandleType.CLOSE,
      CandleType.VOLUME,
    ]
    const [timestamp, open, high, low, close, volume] = rowAt(noon - hour)
    expect(timestamp).toBeDefined()
    expect(feed.matrix(query({ totalCandles: 1, candleTypes: all }), noon)).toEqual([
      [high, low, open, close, volume],
    ])
  })

  test('behavior: times outside the data replay it in a loop', () => {
    const feed = createPriceFeed()
    const period = 3672 * hour
    const inside = feed.candles(query({ totalCandles: 4 }), noon)
    const later = feed.candles(query({ totalCandles: 4 }), noon + 7 * period)
    expect(later.map((candle) => candle.sourceTimestamp)).toEqual(
      inside.map((candle) => candle.sourceTimestamp),
    )
    expect(later.map((candle) => candle.timestamp - candle.sourceTimestamp)).toEqual(
      Array(4).fill(7 * period),
    )
    // Right after the loop point the window reaches back into the previous cycle's end.
    const start = Date.UTC(2024, 7, 1) / 1000
    const wrapped = feed.candles(query({ totalCandles: 3 }), start + period + hour)
    expect(wrapped.map((candle) => candle.sourceTimestamp)).toEqual([
      start + period - 2 * hour,
      start + period - hour,
      start,
    ])
    expect(wrapped.map((candle) => candle.timestamp)).toEqual([
      start + period - 2 * hour,
      start + period - hour,
      start + period,
    ])
  })

  test('behavior: synthetic pairs are deterministic', () => {
    const one = createPriceFeed().matrix(query({ base: 'SOL', totalCandles: 24 }), noon)
    const two = createPriceFeed().matrix(query({ base: 'SOL', totalCandles: 24 }), noon)
    expect(one).toEqual(two)
    expect(one).toHaveLength(24)
    expect(createPriceFeed().sourceKind('SOL', 'USDT')).toBe('synthetic')
    expect(createPriceFeed().sourceKind('BTC', 'USD')).toBe('csv')
  })

  test('behavior: pushed candles come first and ignore the time', () => {
    const feed = createPriceFeed()
    expect(
      feed.push({
        base: 'ETH',
        quote: 'USDT',
        candles: [
          { open: 1, high: 2, low: 0.5, close: 1.5 },
          { open: 1.5, high: '2.50', low: 1, close: '2.25', volume: 7 },
        ],
      }),
    ).toBe(2)
    expect(feed.sourceKind('ETH', 'USD')).toBe('pushed')
    expect(feed.matrix(query({ totalCandles: 2 }), noon)).toEqual([
      ['1.5', '1'],
      ['2.25', '1.5'],
    ])
    expect(feed.matrix(query({ totalCandles: 1, candleTypes: [CandleType.HIGH] }), 0)).toEqual([
      ['2.5'],
    ])
    // Other durations still replay the data.
    expect(feed.sourceKind('ETH', 'USD', 120)).toBe('csv')
    expect(() => feed.matrix(query({ totalCandles: 3 }), noon)).toThrowError(/only 2 were pushed/)
    feed.clear({ base: 'ETH', quote: 'USD' })
    expect(feed.sourceKind('ETH', 'USDT')).toBe('csv')
  })

  test('error: malformed queries', () => {
    const feed = createPriceFeed()
    expect(() => feed.candles(query({ totalCandles: 0 }), noon)).toThrowError(
      /total_candles must be between 1 and 10000, got 0/,
    )
    expect(() => feed.candles(query({ candleTypes: [] }), noon)).toThrowError(
      /candle_types is empty/,
    )
    expect(() => feed.candles(query({ candleTypes: [7 as CandleType] }), noon)).toThrowError(
      /unknown candle type: 7/,
    )
    expect(() => feed.candles(query({ order: 2 as CandleOrder }), noon)).toThrowError(
      /unknown candle order: 2/,
    )
    expect(() => feed.candles(query({ candleDurationInMinutes: 0 }), noon)).toThrowError(
      /must be positive/,
    )
    expect(() => feed.candles(query({ totalCandles: 5000 }), noon)).toThrowError(
      /the data holds 3672/,
    )
    expect(() =>
      feed.push({
        base: 'ETH',
        quote: 'USDT',
        candles: [{ open: Number.NaN, high: 1, low: 1, close: 1 }],
      }),
    ).toThrowError(/candle 0 open is not a finite decimal number/)
  })
})
