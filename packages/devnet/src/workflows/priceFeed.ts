// The devnet's market data: which source serves a pair, the last N complete candles at a time,
// and candles pushed by tests.
import {
  CandleOrder,
  encodeFixedPoint,
  fixedPointToDecimalString,
  type HistoricalInputQuery,
} from '@opengradient/core'
import {
  builtinCandleFiles,
  type Candle,
  type CandleSource,
  candleDataPath,
  createSyntheticCandleSource,
  PriceFeedError,
  pairName,
  readCsvCandleSource,
} from './candleSources.js'

/** A candle as a query returns it. */
export type FeedCandle = Candle & {
  /**
   * Open time of the bar in the data it was replayed from (equal to `timestamp` for pushed
   * candles and for times inside the data's own range).
   */
  sourceTimestamp: number
}

/** A candle given to {@link PriceFeed.push}: numbers or decimal strings. */
export type CandleInput = {
  /** Open time, unix seconds. @default one duration after the previous pushed candle */
  timestamp?: number | undefined
  open: number | string
  high: number | string
  low: number | string
  close: number | string
  /** @default 0 */
  volume?: number | string | undefined
}

/** Parameters of {@link PriceFeed.push}. */
export type PushCandlesParameters = {
  base: string
  quote: string
  /** Duration the candles answer queries for. @default 60 */
  candleDurationInMinutes?: number | undefined
  /** Oldest first. */
  candles: readonly CandleInput[]
  /** Drop the candles pushed before for this pair and duration. @default false */
  replace?: boolean | undefined
}

/** Market data of the price-history precompile. */
export type PriceFeed = {
  /**
   * The `totalCandles` most recent candles complete at `time` (unix seconds of the feed's own
   * clock), in the query's row order: oldest first for `ASCENDING`, newest first for
   * `DESCENDING`. Pushed candles for the pair and duration take precedence over every source and
   * ignore the time: the last `totalCandles` pushed are used.
   */
  candles(query: HistoricalInputQuery, time: number): FeedCandle[]
  /** The requested fields of {@link PriceFeed.candles}, one row per candle, as decimal strings. */
  matrix(query: HistoricalInputQuery, time: number): string[][]
  /** Stores candles for tests; returns how many are stored for the pair and duration. */
  push(parameters: PushCandlesParameters): number
  /** Drops pushed candles: of one pair (every duration), or all. */
  clear(parameters?: { base: string; quote: string } | undefined): void
  /** Which source serves a pair: `pushed`, `csv` or `synthetic`. */
  sourceKind(base: string, quote: string, durationMinutes?: number): 'pushed' | 'csv' | 'synthetic'
}

/** Parameters of {@link createPriceFeed}. */
export type CreatePriceFeedParameters = {
  /**
   * Recorded data by pair (`ETH/USDT`), as Binance kline CSV files, replacing or adding to the
   * shipped ETH/USDT and BTC/USDT files.
   * @default {}
   */
  csvFiles?: Readonly<Record<string, string>> | undefined
  /** Mixed into the synthetic sources' seeds. @default 0 */
  seed?: number | undefined
}

/** The most candles one query may ask for. */
export const maxCandlesPerQuery = 10_000

/** Candle fields by the chain's `CandleType` numbering. */
const fieldOfType = ['high', 'low', 'open', 'close', 'volume'] as const

/**
 * Creates the devnet's price feed: the shipped ETH/USDT and BTC/USDT hourly data (and any
 * `csvFiles`), a seeded synthetic walk for every other pair, and candles pushed by tests.
 * Recorded data is read on first use.
 *
 * @example
 * ```ts
 * const feed = createPriceFeed()
 * const rows = feed.matrix(
 *   { base: 'ETH', quote: 'USD', totalCandles: 10, candleDurationInMinutes: 60, order: CandleOrder.ASCENDING, candleTypes: [CandleType.CLOSE] },
 *   Math.floor(Date.now() / 1000),
 * )
 * ```
 */
export function createPriceFeed(parameters: CreatePriceFeedParameters = {}): PriceFeed {
  const files = new Map<string, string>(
    Object.entries(builtinCandleFiles).map(([pair, file]) => [pair, candleDataPath(file)]),
  )
  for (const [pair, file] of Object.entries(parameters.csvFiles ?? {})) {
    const [base = '', quote = ''] = pair.split('/')
    files.set(pairName(base, quote), file)
  }
  const sources = new Map<string, CandleSource>()
  const pushed = new Map<string, Candle[]>()

  function sourceOf(pair: string): CandleSource {
    let source = sources.get(pair)
    if (!source) {
      const file = files.get(pair)
      source = file
        ? readCsvCandleSource({ pair, file })
        : createSyntheticCandleSource({ pair, seed: parameters.seed })
      sources.set(pair, source)
    }
    return source
  }

  function candles(query: HistoricalInputQuery, time: number): FeedCandle[] {
    validateQuery(query)
    const pair = pairName(query.base, query.quote)
    const count = query.totalCandles
    const own = pushed.get(pushedKey(pair, query.candleDurationInMinutes))
    let chosen: FeedCandle[]
    if (own) {
      if (own.length < count) {
        throw new PriceFeedError(
          `${count} candles asked of ${pair} at ${query.candleDurationInMinutes} minutes, only ${own.length} were pushed`,
        )
      }
      chosen = own.slice(own.length - count).map((candle) => ({
        ...candle,
        sourceTimestamp: candle.timestamp,
      }))
    } else {
      chosen = replay(sourceOf(pair), query.candleDurationInMinutes, count, time)
    }
    return query.order === CandleOrder.DESCENDING ? chosen.reverse() : chosen
  }

  return {
    candles,
    matrix(query, time) {
      return candles(query, time).map((candle) =>
        query.candleTypes.map((type) => candle[fieldOfType[type]!]),
      )
    },
    push(parameters) {
      const pair = pairName(parameters.base, parameters.quote)
      const minutes = parameters.candleDurationInMinutes ?? 60
      if (!Number.isInteger(minutes) || minutes < 1) {
        throw new PriceFeedError(`bad candle duration: ${minutes}`)
      }
      const key = pushedKey(pair, minutes)
      const list = parameters.replace ? [] : (pushed.get(key) ?? [])
      for (const [index, input] of parameters.candles.entries()) {
        const previous = list.at(-1)
        const timestamp = input.timestamp ?? (previous ? previous.timestamp + minutes * 60 : 0)
        if (!Number.isInteger(timestamp) || (previous && timestamp <= previous.timestamp)) {
          throw new PriceFeedError(`pushed candle ${index} has a bad or out-of-order timestamp`)
        }
        list.push({
          timestamp,
          open: decimalText(input.open, `candle ${index} open`),
          high: decimalText(input.high, `candle ${index} high`),
          low: decimalText(input.low, `candle ${index} low`),
          close: decimalText(input.close, `candle ${index} close`),
          volume: decimalText(input.volume ?? 0, `candle ${index} volume`),
        })
      }
      pushed.set(key, list)
      return list.length
    },
    clear(parameters) {
      if (!parameters) {
        pushed.clear()
        return
      }
      const prefix = `${pairName(parameters.base, parameters.quote)}@`
      for (const key of [...pushed.keys()]) if (key.startsWith(prefix)) pushed.delete(key)
    },
    sourceKind(base, quote, durationMinutes = 60) {
      const pair = pairName(base, quote)
      if (pushed.has(pushedKey(pair, durationMinutes))) return 'pushed'
      return files.has(pair) ? 'csv' : 'synthetic'
    },
  }
}

/** The last `count` bars complete at `time`, continuing into the previous cycle when needed. */
function replay(
  source: CandleSource,
  durationMinutes: number,
  count: number,
  time: number,
): FeedCandle[] {
  const series = source.series(durationMinutes)
  const { candles, start, period, durationSeconds } = series
  if (count > candles.length) {
    throw new PriceFeedError(
      `${count} candles asked of ${source.pair} at ${durationMinutes} minutes, the data holds ${candles.length}`,
    )
  }
  const cycle = Math.floor((time - start) / period)
  const within = time - cycle * period
  // Bars complete at `within`: those that open at least one duration before it.
  let low = 0
  let high = candles.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (candles[middle]!.timestamp + durationSeconds <= within) low = middle + 1
    else high = middle
  }
  const result: FeedCandle[] = []
  for (let position = low - count; position < low; position++) {
    const wraps = Math.floor(position / candles.length)
    const candle = candles[position - wraps * candles.length]!
    result.push({
      ...candle,
      timestamp: candle.timestamp + (cycle + wraps) * period,
      sourceTimestamp: candle.timestamp,
    })
  }
  return result
}

function validateQuery(query: HistoricalInputQuery): void {
  const { totalCandles, candleDurationInMinutes, order, candleTypes } = query
  if (!query.base.trim() || !query.quote.trim()) throw new PriceFeedError('empty base or quote')
  if (!Number.isInteger(totalCandles) || totalCandles < 1 || totalCandles > maxCandlesPerQuery) {
    throw new PriceFeedError(
      `total_candles must be between 1 and ${maxCandlesPerQuery}, got ${totalCandles}`,
    )
  }
  if (!Number.isInteger(candleDurationInMinutes) || candleDurationInMinutes < 1) {
    throw new PriceFeedError(
      `candle_duration_in_mins must be positive, got ${candleDurationInMinutes}`,
    )
  }
  if (order !== CandleOrder.ASCENDING && order !== CandleOrder.DESCENDING) {
    throw new PriceFeedError(`unknown candle order: ${order}`)
  }
  if (candleTypes.length === 0) throw new PriceFeedError('candle_types is empty')
  for (const type of candleTypes) {
    if (fieldOfType[type] === undefined) throw new PriceFeedError(`unknown candle type: ${type}`)
  }
}

function pushedKey(pair: string, durationMinutes: number): string {
  return `${pair}@${durationMinutes}`
}

/** A number or decimal string as canonical decimal text (validated like a model input). */
function decimalText(value: number | string, what: string): string {
  try {
    return fixedPointToDecimalString(encodeFixedPoint(value))
  } catch (error) {
    throw new PriceFeedError(`${what} is not a finite decimal number`, { cause: error })
  }
}
