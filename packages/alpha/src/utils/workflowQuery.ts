import {
  CandleOrder,
  CandleType,
  type HistoricalInputQuery,
  InvalidInputError,
} from '@opengradient/core'

/** The `HistoricalInputQuery` tuple as the contracts' ABI names its fields. */
export type AbiHistoricalInputQuery = {
  base: string
  quote: string
  total_candles: number
  candle_duration_in_mins: number
  order: CandleOrder
  candle_types: CandleType[]
}

const uint32Max = 2 ** 32 - 1
const candleTypeValues = new Set<number>(Object.values(CandleType))

/**
 * Checks a candle query and converts it to the ABI tuple
 * `(base, quote, total_candles, candle_duration_in_mins, order, candle_types)`.
 *
 * @example
 * ```ts
 * toAbiHistoricalInputQuery({ base: 'ETH', quote: 'USDT', totalCandles: 10, candleDurationInMinutes: 60, order: CandleOrder.ASCENDING, candleTypes: [CandleType.CLOSE] })
 * // { base: 'ETH', quote: 'USDT', total_candles: 10, candle_duration_in_mins: 60, order: 0, candle_types: [3] }
 * ```
 */
export function toAbiHistoricalInputQuery(query: HistoricalInputQuery): AbiHistoricalInputQuery {
  const { base, quote, totalCandles, candleDurationInMinutes, order, candleTypes } = query
  if (!base || !quote) {
    throw new InvalidInputError(
      'The candle query needs a base and a quote asset, e.g. "ETH" and "USDT".',
    )
  }
  for (const [name, value] of [
    ['totalCandles', totalCandles],
    ['candleDurationInMinutes', candleDurationInMinutes],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > uint32Max) {
      throw new InvalidInputError(`"${name}" must be a positive integer, got ${value}.`, {
        tensorName: name,
      })
    }
  }
  if (order !== CandleOrder.ASCENDING && order !== CandleOrder.DESCENDING) {
    throw new InvalidInputError(
      `"order" must be CandleOrder.ASCENDING (0) or CandleOrder.DESCENDING (1), got ${String(order)}.`,
    )
  }
  if (candleTypes.length === 0) {
    throw new InvalidInputError('"candleTypes" must name at least one candle field.')
  }
  for (const [index, type] of candleTypes.entries()) {
    if (!candleTypeValues.has(type)) {
      throw new InvalidInputError(
        `"candleTypes" holds an unknown candle type: ${String(type)}. Use CandleType (HIGH 0, LOW 1, OPEN 2, CLOSE 3, VOLUME 4).`,
        { index },
      )
    }
  }
  return {
    base,
    quote,
    total_candles: totalCandles,
    candle_duration_in_mins: candleDurationInMinutes,
    order,
    candle_types: [...candleTypes],
  }
}
