import type { FixedPointNumber } from '../types/tensors.js'
import { fixedPointToNumber } from './fixedPointToNumber.js'

export type ToFloat32ReturnType = number

/**
 * A fixed-point number as the reference SDK decodes it: the nearest float64 of the exact value,
 * then rounded to float32 (numpy's `float32(Decimal)` goes through `float` the same way). The
 * result is a `number` holding a float32 value.
 *
 * @example
 * ```ts
 * toFloat32({ value: 1000000000000000055511151231n, decimals: 28n }) // 0.10000000149011612 (float32 0.1)
 * toFloat32({ value: 3774157376028597354888916016n, decimals: 31n }) // 0.00037741573760285974 (float32 0.00037741574)
 * ```
 */
export function toFloat32(fixedPoint: FixedPointNumber): ToFloat32ReturnType {
  return Math.fround(fixedPointToNumber(fixedPoint))
}
