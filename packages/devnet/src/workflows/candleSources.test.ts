import { readFile } from 'node:fs/promises'
import { describe, expect, test } from 'vitest'
import {
  builtinCandleFiles,
  candleDataPath,
  createCsvCandleSource,
  createSyntheticCandleSource,
  PriceFeedError,
  pairName,
  parseCandleCsv,
  readCsvCandleSource,
} from './candleSources.js'

const hour = 3600

function catchError(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('Expected an error.')
}

describe('parseCandleCsv', () => {
  test('default', () => {
    expect(
      parseCandleCsv(
        'timestamp_ms,open,high,low,close,volume\n1722470400000,3232.74,3242.57,3214.21,3235.01,7698.7089\n1722474000000,3235.01,3236.0,3200.5,3210.2,100\n',
      ),
    ).toEqual([
      {
        timestamp: 1722470400,
        open: '3232.74',
        high: '3242.57',
        low: '3214.21',
        close: '3235.01',
        volume: '7698.7089',
      },
      {
        timestamp: 1722474000,
        open: '3235.01',
        high: '3236.0',
        low: '3200.5',
        close: '3210.2',
        volume: '100',
      },
    ])
  })

  test('behavior: reads the full Binance format and microsecond timestamps', () => {
    const text = [
      'timestamp_ms,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore',
      '1735686000000,1,2,0.5,1.5,10,1735689599999,15,3,5,7.5,0',
      '1738368000000000,1.5,2,1,1.2,4,1738371599999999,5,1,2,2.4,0',
    ].join('\n')
    expect(parseCandleCsv(text).map((candle) => candle.timestamp)).toEqual([1735686000, 1738368000])
  })

  test('error: a bad value or a missing column', () => {
    expect(() =>
      parseCandleCsv('timestamp_ms,open,high,low,close,volume\n1,a,2,3,4,5\n2,1,1,1,1,1'),
    ).toThrow(PriceFeedError)
    expect(() => parseCandleCsv('timestamp_ms,open,high,low,close\n1,1,1,1,1\n')).toThrowError(
      /no volume column/,
    )
  })
})

describe('createCsvCandleSource', () => {
  const hourly = parseCandleCsv(
    [
      'timestamp_ms,open,high,low,close,volume',
      // 2024-08-01 00:00 … 05:00 UTC
      '1722470400000,10,12,9,11,1.1',
      '1722474000000,11,15,10.5,14,2.2',
      '1722477600000,14,14.5,8,9,3.3',
      '1722481200000,9,10,8.5,9.5,4.4',
      '1722484800000,9.5,9.9,9.1,9.2,0.01',
      '1722488400000,9.2,9.3,9,9.05,0.02',
    ].join('\n'),
  )

  test('default', () => {
    const series = createCsvCandleSource({ pair: 'TST/USDT', candles: hourly }).series(60)
    expect(series).toMatchObject({ durationSeconds: hour, start: 1722470400, period: 6 * hour })
    expect(series.candles).toBe(hourly)
  })

  test('behavior: longer durations aggregate UTC-aligned hours', () => {
    const series = createCsvCandleSource({ pair: 'TST/USDT', candles: hourly }).series(240)
    expect(series.candles).toEqual([
      // open of the first, highest high, lowest low, close of the last, exact volume sum
      { timestamp: 1722470400, open: '10', high: '15', low: '8', close: '9.5', volume: '11' },
      { timestamp: 1722484800, open: '9.5', high: '9.9', low: '9', close: '9.05', volume: '0.03' },
    ])
  })

  test('behavior: gaps are skipped, not filled', () => {
    const withGap = hourly.filter((_, index) => index !== 2)
    const series = createCsvCandleSource({ pair: 'TST/USDT', candles: withGap }).series(60)
    expect(series.candles.map((candle) => candle.close)).toEqual(['11', '14', '9.5', '9.2', '9.05'])
  })

  test('error: a duration that is not a multiple of an hour', () => {
    const source = createCsvCandleSource({ pair: 'TST/USDT', candles: hourly })
    const error = catchError(() => source.series(30))
    expect(error).toBeInstanceOf(PriceFeedError)
    expect((error as PriceFeedError).shortMessage).toMatchInlineSnapshot(
      `"The candle query failed: TST/USDT has 60-minute data: the duration must be a multiple of 60 minutes, got 30."`,
    )
  })

  test('behavior: the shipped files are contiguous hours', async () => {
    for (const [pair, file] of Object.entries(builtinCandleFiles)) {
      const series = readCsvCandleSource({ pair, file: candleDataPath(file) }).series(60)
      expect(series.candles.length).toBe(3672)
      expect(series.period).toBe(3672 * hour)
      const text = await readFile(candleDataPath(file), 'utf8')
      expect(text.split('\n')[1]).toMatch(/^1722470400000,/)
    }
  })
})

describe('createSyntheticCandleSource', () => {
  test('default', () => {
    const first = createSyntheticCandleSource({ pair: 'SOL/USDT' }).series(60)
    const again = createSyntheticCandleSource({ pair: 'SOL/USDT' }).series(60)
    expect(again.candles).toEqual(first.candles)
    expect(first.candles.length).toBe(8760)
    expect(first.period).toBe(8760 * hour)
    // Around the typical level of the asset.
    const closes = first.candles.map((candle) => Number(candle.close))
    expect(Math.min(...closes)).toBeGreaterThan(150 / 4)
    expect(Math.max(...closes)).toBeLessThan(150 * 4)
  })

  test('behavior: bars are well formed and the loop has no jump', () => {
    const { candles } = createSyntheticCandleSource({ pair: 'SUI/USDT' }).series(30)
    for (const [index, candle] of candles.entries()) {
      const values = [candle.open, candle.high, candle.low, candle.close].map(Number)
      expect(Math.max(...values)).toBe(Number(candle.high))
      expect(Math.min(...values)).toBe(Number(candle.low))
      expect(Number(candle.volume)).toBeGreaterThan(0)
      const previous = candles[(index - 1 + candles.length) % candles.length]!
      expect(candle.open).toBe(previous.close)
    }
  })

  test('args: seed and pair change the walk', () => {
    const base = createSyntheticCandleSource({ pair: 'SOL/USDT' }).series(60).candles[5]
    expect(
      createSyntheticCandleSource({ pair: 'SOL/USDT', seed: 1 }).series(60).candles[5],
    ).not.toEqual(base)
    expect(createSyntheticCandleSource({ pair: 'XYZ/USDT' }).series(60).candles[5]).not.toEqual(
      base,
    )
  })
})

describe('pairName', () => {
  test('default', () => {
    expect(pairName('eth', 'usd')).toBe('ETH/USDT')
    expect(pairName(' btc ', 'USDT')).toBe('BTC/USDT')
    expect(pairName('ETH', 'BTC')).toBe('ETH/BTC')
  })
})
