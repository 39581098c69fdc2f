import type { ModelOutput } from '../types/tensors.js'

/** A {@link ModelOutput} with every bigint as decimal text, ready for `JSON.stringify`. */
export type ModelOutputJson = {
  numbers: Record<
    string,
    { shape: number[]; data: number[]; raw: { value: string; decimals: string }[] }
  >
  strings: Record<string, { shape: number[]; data: string[] }>
  jsons: Record<string, unknown>
  isSimulationResult: boolean
}

/**
 * A JSON-safe copy of a decoded model output, for printing or storing: the fixed-point pairs
 * become decimal strings (`JSON.stringify` throws on bigints), the rest is kept. Numbers too large
 * for a float64 appear in `data` as `Infinity`, which JSON writes as `null`; `raw` stays exact.
 *
 * @example
 * ```ts
 * JSON.stringify(modelOutputToJson(modelOutput))
 * // '{"numbers":{"Y":{"shape":[1],"data":[0.00037741573760285974],"raw":[{"value":"3774157376028597354888916016","decimals":"31"}]}},...}'
 * ```
 */
export function modelOutputToJson(output: ModelOutput): ModelOutputJson {
  const numbers: ModelOutputJson['numbers'] = {}
  for (const [name, tensor] of Object.entries(output.numbers)) {
    define(numbers, name, {
      shape: [...tensor.shape],
      data: [...tensor.data],
      raw: tensor.raw.map(({ value, decimals }) => ({
        value: value.toString(),
        decimals: decimals.toString(),
      })),
    })
  }
  const strings: ModelOutputJson['strings'] = {}
  for (const [name, tensor] of Object.entries(output.strings)) {
    define(strings, name, { shape: [...tensor.shape], data: [...tensor.data] })
  }
  const jsons: ModelOutputJson['jsons'] = {}
  for (const [name, value] of Object.entries(output.jsons)) define(jsons, name, toJsonSafe(value))
  return { numbers, strings, jsons, isSimulationResult: output.isSimulationResult }
}

/** Copies a value with bigints turned into decimal text. */
function toJsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (Array.isArray(value)) return value.map(toJsonSafe)
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {}
    for (const [key, entry] of Object.entries(value)) define(copy, key, toJsonSafe(entry))
    return copy
  }
  return value
}

// defineProperty: a key named "__proto__" must stay a plain entry.
function define<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
}
