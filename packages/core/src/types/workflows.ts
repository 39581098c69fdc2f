/**
 * Row order of the candles a workflow asks for.
 *
 * @example
 * ```ts
 * const query = { base: 'ETH', quote: 'USDT', totalCandles: 10, candleDurationInMinutes: 60, order: CandleOrder.ASCENDING, candleTypes: [CandleType.OPEN] }
 * ```
 */
export const CandleOrder = { ASCENDING: 0, DESCENDING: 1 } as const
/** One of {@link CandleOrder}'s values. */
export type CandleOrder = (typeof CandleOrder)[keyof typeof CandleOrder]

/**
 * Candle fields, in the numbering of the price-history precompile (`HIGH` is 0, not `OPEN`).
 *
 * @example
 * ```ts
 * const ohlc = [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE]
 * ```
 */
export const CandleType = { HIGH: 0, LOW: 1, OPEN: 2, CLOSE: 3, VOLUME: 4 } as const
/** One of {@link CandleType}'s values. */
export type CandleType = (typeof CandleType)[keyof typeof CandleType]

/**
 * The candle query a workflow evaluates at each run (`HistoricalInputQuery` on chain).
 * The input tensor it produces has shape `[totalCandles, candleTypes.length]`, one row per
 * candle, columns in `candleTypes` order.
 */
export type HistoricalInputQuery = {
  /** Base asset, e.g. `"ETH"`. */
  base: string
  /** Quote asset, e.g. `"USDT"`. */
  quote: string
  /** Number of candles. */
  totalCandles: number
  /** Length of one candle in minutes, e.g. 60. */
  candleDurationInMinutes: number
  /** Row order. */
  order: CandleOrder
  /** Candle fields, in column order. */
  candleTypes: readonly CandleType[]
}

/**
 * When a scheduled workflow runs: every `frequency` seconds for `durationHours` hours.
 * The end time is computed once, when the task is registered (the reference recomputed it
 * from the wall clock on every read).
 */
export type SchedulerParams = {
  /**
   * Seconds between runs.
   * @default 600
   */
  frequency?: number | undefined
  /**
   * How long the schedule lives, in hours.
   * @default 2
   */
  durationHours?: number | undefined
  /** Explicit end time in unix seconds; overrides `durationHours`. */
  endTime?: bigint | number | undefined
}
