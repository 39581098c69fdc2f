// Where the price-history precompile's candles come from: replayed CSV files of real hourly bars,
// and a seeded synthetic random walk for every other pair.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { BaseError, type BaseErrorParameters } from '@opengradient/core'

/** One OHLCV bar. Prices and volume are decimal strings, exactly as the source gives them. */
export type Candle = {
  /** Open time, unix seconds. */
  timestamp: number
  open: string
  high: string
  low: string
  close: string
  volume: string
}

/**
 * The bars of one pair at one duration, replayed in a loop: bar `i` of cycle `k` opens at
 * `candles[i].timestamp + k × period`, so any time, however far from the data, has a past.
 */
export type CandleSeries = {
  durationSeconds: number
  /** In time order, each opening `durationSeconds` (or more, across a gap) after the previous. */
  candles: readonly Candle[]
  /** Open time of the first bar of cycle 0. */
  start: number
  /** Length of one cycle in seconds. */
  period: number
}

/** A source of candles for one pair. */
export type CandleSource = {
  /** `BASE/QUOTE`, e.g. `ETH/USDT`. */
  pair: string
  /** `csv` for recorded bars, `synthetic` for the seeded random walk. */
  kind: 'csv' | 'synthetic'
  /** The series at a duration; a {@link PriceFeedError} when the source cannot serve it. */
  series(durationMinutes: number): CandleSeries
}

export type PriceFeedErrorType = PriceFeedError & { name: 'PriceFeedError' }

/**
 * A candle query the devnet cannot answer: a malformed query, a duration the data cannot be
 * aggregated to, more candles than the data holds. `reason` is short, for a revert reason.
 *
 * @example
 * ```ts
 * if (error instanceof PriceFeedError) console.log(error.reason)
 * ```
 */
export class PriceFeedError extends BaseError {
  override name = 'PriceFeedError' as const
  /** Short reason, suitable as a Solidity `Error(string)` revert reason. */
  readonly reason: string
  constructor(reason: string, parameters: BaseErrorParameters = {}) {
    super(`The candle query failed: ${reason}.`, parameters)
    this.reason = reason
  }
}

/**
 * The normalized `BASE/QUOTE` name of a pair: upper case, with the quote `USD` read as `USDT`
 * (the recorded data is quoted in USDT).
 *
 * @example
 * ```ts
 * pairName('eth', 'usd') // 'ETH/USDT'
 * ```
 */
export function pairName(base: string, quote: string): string {
  const normalizedQuote = quote.trim().toUpperCase()
  return `${base.trim().toUpperCase()}/${normalizedQuote === 'USD' ? 'USDT' : normalizedQuote}`
}

/**
 * The path of a CSV file shipped in the package's `data/` directory.
 *
 * @example
 * ```ts
 * candleDataPath('ETHUSDT-1h.csv') // '/…/node_modules/@opengradient/devnet/data/ETHUSDT-1h.csv'
 * ```
 */
export function candleDataPath(fileName: string): string {
  return fileURLToPath(new URL(`../../data/${fileName}`, import.meta.url))
}

/** The recorded pairs shipped with the package. */
export const builtinCandleFiles: Readonly<Record<string, string>> = {
  'ETH/USDT': 'ETHUSDT-1h.csv',
  'BTC/USDT': 'BTCUSDT-1h.csv',
}

/**
 * Parses Binance kline CSV text: a header naming at least `timestamp_ms` (or `open_time`),
 * `open`, `high`, `low`, `close` and `volume`, then one bar per line in time order. Timestamps
 * in microseconds (Binance's archive from 2025) are recognized and normalized.
 *
 * @example
 * ```ts
 * parseCandleCsv('timestamp_ms,open,high,low,close,volume\n1722470400000,1,2,0.5,1.5,10\n')
 * // [{ timestamp: 1722470400, open: '1', high: '2', low: '0.5', close: '1.5', volume: '10' }]
 * ```
 */
export function parseCandleCsv(text: string): Candle[] {
  const lines = text.split('\n')
  const header = (lines[0] ?? '').trim().split(',')
  const column = (...names: string[]) => {
    const index = header.findIndex((name) => names.includes(name.trim()))
    if (index === -1) throw new PriceFeedError(`CSV has no ${names[0]} column`)
    return index
  }
  const columns = {
    timestamp: column('timestamp_ms', 'open_time', 'timestamp'),
    open: column('open'),
    high: column('high'),
    low: column('low'),
    close: column('close'),
    volume: column('volume'),
  }
  const candles: Candle[] = []
  for (const [lineIndex, line] of lines.entries()) {
    if (lineIndex === 0 || !line.trim()) continue
    const cells = line.trim().split(',')
    const cell = (index: number) => {
      const value = cells[index]?.trim()
      if (!value || !decimalPattern.test(value)) {
        throw new PriceFeedError(`CSV line ${lineIndex + 1} has a bad value: ${value ?? '(none)'}`)
      }
      return value
    }
    let timestamp = Number(cell(columns.timestamp))
    if (timestamp > 1e14) timestamp /= 1000
    candles.push({
      timestamp: Math.floor(timestamp / 1000),
      open: cell(columns.open),
      high: cell(columns.high),
      low: cell(columns.low),
      close: cell(columns.close),
      volume: cell(columns.volume),
    })
  }
  if (candles.length < 2) throw new PriceFeedError('CSV has fewer than two candles')
  return candles
}

/**
 * A source replaying recorded bars. Durations that are multiples of the bars' own (one hour for
 * the shipped files) are served by aggregating the bars that fall in each UTC-aligned period:
 * open of the first, highest high, lowest low, close of the last, sum of volumes. Gaps in the
 * data are skipped, not filled: the candle before a gap is followed by the one after it.
 *
 * @example
 * ```ts
 * const source = createCsvCandleSource({ pair: 'ETH/USDT', candles: parseCandleCsv(text) })
 * source.series(240).candles.length // four-hour bars
 * ```
 */
export function createCsvCandleSource(parameters: {
  pair: string
  candles: readonly Candle[]
}): CandleSource {
  const { pair, candles } = parameters
  let baseSeconds = Number.POSITIVE_INFINITY
  for (let index = 1; index < candles.length; index++) {
    const step = candles[index]!.timestamp - candles[index - 1]!.timestamp
    if (step <= 0) throw new PriceFeedError(`${pair} candles are not in time order`)
    baseSeconds = Math.min(baseSeconds, step)
  }
  const first = candles[0]!
  const last = candles.at(-1)!
  const start = first.timestamp
  const period = last.timestamp + baseSeconds - start
  const cache = new Map<number, CandleSeries>()
  return {
    pair,
    kind: 'csv',
    series(durationMinutes) {
      const durationSeconds = durationMinutes * 60
      const cached = cache.get(durationSeconds)
      if (cached) return cached
      if (durationSeconds % baseSeconds !== 0) {
        throw new PriceFeedError(
          `${pair} has ${baseSeconds / 60}-minute data: the duration must be a multiple of ${baseSeconds / 60} minutes, got ${durationMinutes}`,
        )
      }
      const series: CandleSeries = {
        durationSeconds,
        candles: durationSeconds === baseSeconds ? candles : aggregate(candles, durationSeconds),
        start,
        period,
      }
      cache.set(durationSeconds, series)
      return series
    },
  }
}

/**
 * Reads a CSV source from a file (see {@link parseCandleCsv} for the format).
 *
 * @example
 * ```ts
 * const source = readCsvCandleSource({ pair: 'ETH/USDT', file: candleDataPath('ETHUSDT-1h.csv') })
 * ```
 */
export function readCsvCandleSource(parameters: { pair: string; file: string }): CandleSource {
  return createCsvCandleSource({
    pair: parameters.pair,
    candles: parseCandleCsv(readFileSync(parameters.file, 'utf8')),
  })
}

/** Start prices of the synthetic walk for common assets, in USDT. */
const referencePrices: Readonly<Record<string, number>> = {
  BTC: 60_000,
  ETH: 3_000,
  SOL: 150,
  SUI: 1.5,
  BNB: 550,
  XRP: 0.6,
  DOGE: 0.12,
  ADA: 0.4,
  AVAX: 30,
  LINK: 14,
  USDT: 1,
  USDC: 1,
}

/** Bars of a synthetic cycle, whatever the duration. */
const syntheticBarsMin = 1_000
const syntheticBarsMax = 10_000
/** 2024-01-01 00:00 UTC: the synthetic cycles start there. */
const syntheticStart = 1_704_067_200
/** Standard deviation of one hour's log return. */
const hourlyVolatility = 0.006

/**
 * A deterministic synthetic source: a random walk of log prices seeded by the pair and the
 * duration, pinned at both ends of its cycle so the loop has no jump. Each duration is a series
 * of its own (a 4-hour bar is not made of the 1-hour bars). Prices start from a typical level for
 * well-known assets (`BTC` 60,000, `SOL` 150, …) and from a seeded level otherwise.
 *
 * @example
 * ```ts
 * const source = createSyntheticCandleSource({ pair: 'SOL/USDT' })
 * source.series(60).candles[0]?.close // the same on every machine
 * ```
 */
export function createSyntheticCandleSource(parameters: {
  pair: string
  /** Mixed into the seed: other values give other walks. @default 0 */
  seed?: number | undefined
}): CandleSource {
  const { pair } = parameters
  const cache = new Map<number, CandleSeries>()
  return {
    pair,
    kind: 'synthetic',
    series(durationMinutes) {
      const cached = cache.get(durationMinutes)
      if (cached) return cached
      const series = syntheticSeries(pair, durationMinutes, parameters.seed ?? 0)
      cache.set(durationMinutes, series)
      return series
    },
  }
}

function syntheticSeries(pair: string, durationMinutes: number, seed: number): CandleSeries {
  const durationSeconds = durationMinutes * 60
  const count = Math.min(
    syntheticBarsMax,
    Math.max(syntheticBarsMin, Math.round((365 * 86_400) / durationSeconds)),
  )
  const random = createRandom(hashText(`${pair}|${durationMinutes}|${seed}`))
  const sigma = hourlyVolatility * Math.sqrt(durationMinutes / 60)
  const logPrices = [0]
  for (let index = 1; index <= count; index++) {
    logPrices.push(logPrices[index - 1]! + sigma * normal(random))
  }
  // A bridge: the walk ends where it started, so cycle k's last close meets cycle k+1's first.
  const drift = logPrices[count]!
  const startPrice = syntheticStartPrice(pair)
  const closes = logPrices
    .slice(0, count)
    .map((logPrice, index) => startPrice * Math.exp(logPrice - (drift * index) / count))
  const baseVolume = 1_000_000 / startPrice
  const candles: Candle[] = closes.map((close, index) => {
    const open = closes[(index - 1 + count) % count]!
    const high = Math.max(open, close) * (1 + (Math.abs(normal(random)) * sigma) / 2)
    const low = Math.min(open, close) * (1 - (Math.abs(normal(random)) * sigma) / 2)
    const volume = baseVolume * (durationMinutes / 60) * (0.5 + random())
    return {
      timestamp: syntheticStart + index * durationSeconds,
      open: significant(open),
      high: significant(high),
      low: significant(low),
      close: significant(close),
      volume: significant(volume),
    }
  })
  return { durationSeconds, candles, start: syntheticStart, period: count * durationSeconds }
}

function syntheticStartPrice(pair: string): number {
  const [base = '', quote = ''] = pair.split('/')
  const basePrice = referencePrices[base]
  const quotePrice = referencePrices[quote]
  if (basePrice !== undefined && quotePrice !== undefined) return basePrice / quotePrice
  // Unknown assets: a seeded level between 1 and 1000.
  return 10 ** ((hashText(pair) % 3000) / 1000)
}

/** Groups bars into UTC-aligned periods of `durationSeconds`. */
function aggregate(candles: readonly Candle[], durationSeconds: number): Candle[] {
  const result: Candle[] = []
  let current: Candle | undefined
  for (const candle of candles) {
    const bucket = Math.floor(candle.timestamp / durationSeconds) * durationSeconds
    if (current?.timestamp === bucket) {
      if (compareDecimals(candle.high, current.high) > 0) current.high = candle.high
      if (compareDecimals(candle.low, current.low) < 0) current.low = candle.low
      current.close = candle.close
      current.volume = addDecimals(current.volume, candle.volume)
      continue
    }
    current = { ...candle, timestamp: bucket }
    result.push(current)
  }
  return result
}

const decimalPattern = /^-?\d+(\.\d+)?$/

/** An exact decimal as an integer and a power-of-ten scale. */
function toScaled(text: string): { units: bigint; scale: number } {
  const [whole = '0', fraction = ''] = text.split('.')
  return { units: BigInt(`${whole}${fraction}`), scale: fraction.length }
}

function fromScaled(units: bigint, scale: number): string {
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}

/** Exact sum of two decimal strings (no binary rounding, so volumes keep their digits). */
function addDecimals(left: string, right: string): string {
  const a = toScaled(left)
  const b = toScaled(right)
  const scale = Math.max(a.scale, b.scale)
  return fromScaled(
    a.units * 10n ** BigInt(scale - a.scale) + b.units * 10n ** BigInt(scale - b.scale),
    scale,
  )
}

function compareDecimals(left: string, right: string): number {
  const a = toScaled(left)
  const b = toScaled(right)
  const scale = Math.max(a.scale, b.scale)
  const difference =
    a.units * 10n ** BigInt(scale - a.scale) - b.units * 10n ** BigInt(scale - b.scale)
  return difference > 0n ? 1 : difference < 0n ? -1 : 0
}

/** A positive number with six significant digits, as a plain decimal string. */
function significant(value: number): string {
  const decimals = Math.max(0, 5 - Math.floor(Math.log10(value)))
  const text = value.toFixed(Math.min(decimals, 20))
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text
}

/** FNV-1a, 32 bits. */
function hashText(text: string): number {
  let hash = 0x811c9dc5
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/** A xorshift32 generator of numbers in [0, 1). */
function createRandom(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9
  return () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 2 ** 32
  }
}

/** A standard normal sample (Box–Muller). */
function normal(random: () => number): number {
  const u = 1 - random()
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}
