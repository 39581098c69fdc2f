import { parseUnits } from 'viem'

/**
 * A payment amount in base units: a `bigint` as is, a decimal string as an amount of an
 * 18-decimal token. Floats are refused (they lose digits).
 *
 * @example
 * ```ts
 * toBaseUnits('0.1') // 100000000000000000n
 * ```
 */
export function toBaseUnits(amount: bigint | string, decimals = 18): bigint {
  if (typeof amount === 'bigint') {
    if (amount < 0n) throw new RangeError(`An amount cannot be negative, got ${amount}.`)
    return amount
  }
  if (typeof amount !== 'string' || !/^\d+(\.\d+)?$/.test(amount.trim())) {
    throw new TypeError(
      `An amount must be a bigint of base units or a decimal string like "0.1", got ${JSON.stringify(amount)}.`,
    )
  }
  const [, fraction = ''] = amount.trim().split('.')
  if (fraction.length > decimals) {
    throw new RangeError(`"${amount}" has more than ${decimals} decimals.`)
  }
  return parseUnits(amount.trim(), decimals)
}
