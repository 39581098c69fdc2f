import { InvalidInputError, type InvalidInputErrorType } from '../errors/input.js'
import type { FixedPointNumber, ModelOutput, NumberTensor, StringTensor } from '../types/tensors.js'
import { int128Max, int128Min, uint32Max } from './constants.js'
import { describeValue } from './elementError.js'
import { fixedPointToNumber } from './fixedPointToNumber.js'

/**
 * An integer as the sources give it: `bigint` from viem, `number` from a JSON body, decimal text
 * from a JSON body that keeps big integers exact.
 */
export type IntegerLike = bigint | number | string

/** A fixed-point pair, named or positional. */
export type RawFixedPointNumber =
  | { value: IntegerLike; decimals: IntegerLike }
  | readonly [value: IntegerLike, decimals: IntegerLike]

/** A number tensor, named or positional. */
export type RawNumberTensor =
  | { name: string; values: readonly RawFixedPointNumber[]; shape: readonly IntegerLike[] }
  | readonly [name: string, values: readonly RawFixedPointNumber[], shape: readonly IntegerLike[]]

/**
 * A string tensor, named or positional. On chain it has no shape; a third `shape` element, as
 * some decoders expect, is accepted and checked.
 */
export type RawStringTensor =
  | { name: string; values: readonly string[]; shape?: readonly IntegerLike[] | undefined }
  | readonly [name: string, values: readonly string[]]
  | readonly [name: string, values: readonly string[], shape: readonly IntegerLike[]]

/** A JSON scalar, named or positional; `value` is JSON text. */
export type RawJsonScalar = { name: string; value: string } | readonly [name: string, value: string]

/**
 * A `ModelOutput` as viem decodes it from a log or a return value, as the REST fallback's
 * `model_output` JSON has it, or as a positional tuple. Missing `jsons` (older ABI) and a missing
 * flag count as empty and `false`.
 */
export type DecodeModelOutputParameters =
  | {
      numbers?: readonly RawNumberTensor[] | undefined
      strings?: readonly RawStringTensor[] | undefined
      jsons?: readonly RawJsonScalar[] | undefined
      is_simulation_result?: boolean | undefined
    }
  | readonly [
      numbers: readonly RawNumberTensor[],
      strings: readonly RawStringTensor[],
      jsons?: readonly RawJsonScalar[],
      isSimulationResult?: boolean,
    ]

export type DecodeModelOutputReturnType = ModelOutput

export type DecodeModelOutputErrorType = InvalidInputErrorType

/**
 * Decodes an on-chain `ModelOutput` into separate maps of number tensors, string tensors and
 * JSON values by name, keeping the simulation flag, so no name overwrites another.
 *
 * Each number becomes the float64 nearest to its exact value in `data` (see
 * {@link fixedPointToNumber}), and `raw` keeps the exact pairs. `value` and `decimals` may be
 * bigints, safe-integer numbers or integer strings; a `number` beyond 2^53 is rejected, since it
 * has already lost digits (parse such JSON keeping big integers as strings).
 *
 * Throws an `InvalidInputError` when a shape does not match the number of values, a JSON scalar
 * is not valid JSON, a name repeats within a kind, or the structure is malformed.
 *
 * @example
 * ```ts
 * const modelOutput = decodeModelOutput({
 *   numbers: [{ name: 'Y', values: [{ value: 3774157376028597354888916016n, decimals: 31n }], shape: [1] }],
 *   strings: [{ name: 'greeting', values: ['hello', ' world'] }],
 *   jsons: [{ name: 'meta', value: '{"ok":true}' }],
 *   is_simulation_result: false,
 * })
 * modelOutput.numbers.Y?.data // [0.00037741573760285974]
 * modelOutput.strings.greeting?.shape // [2]
 * modelOutput.jsons.meta // { ok: true }
 * ```
 */
export function decodeModelOutput(
  output: DecodeModelOutputParameters,
): DecodeModelOutputReturnType {
  const source = output as unknown
  let numbers: unknown
  let strings: unknown
  let jsons: unknown
  let flag: unknown
  if (Array.isArray(source)) [numbers, strings, jsons, flag] = source
  else if (typeof source === 'object' && source !== null) {
    const named = source as Record<string, unknown>
    numbers = named.numbers
    strings = named.strings
    jsons = named.jsons
    flag = named.is_simulation_result ?? named.isSimulationResult
  } else {
    throw new InvalidInputError(
      `The model output must be an object or a tuple, not ${describeValue(source)}.`,
    )
  }
  if (flag !== undefined && typeof flag !== 'boolean') {
    throw new InvalidInputError(
      `The simulation flag must be a boolean, not ${describeValue(flag)}.`,
    )
  }
  return {
    numbers: decodeList(numbers, 'numbers', decodeNumberTensor),
    strings: decodeList(strings, 'strings', decodeStringTensor),
    jsons: decodeList(jsons, 'jsons', decodeJsonScalar),
    isSimulationResult: flag ?? false,
  }
}

type Kind = 'numbers' | 'strings' | 'jsons'

const kindNames: Record<Kind, string> = {
  numbers: 'number tensor',
  strings: 'string tensor',
  jsons: 'JSON scalar',
}

function decodeList<T>(
  list: unknown,
  kind: Kind,
  decode: (fields: readonly unknown[], name: string) => T,
): Record<string, T> {
  const result: Record<string, T> = {}
  if (list === undefined || list === null) return result
  if (!Array.isArray(list)) {
    throw new InvalidInputError(`The ${kind} of a model output must be an array.`, {
      details: `Got ${describeValue(list)}.`,
    })
  }
  list.forEach((entry: unknown, position) => {
    const fields = fieldsOf(entry, kind, position)
    const name = fields[0]
    if (typeof name !== 'string') {
      throw new InvalidInputError(`The ${kindNames[kind]} at position ${position} has no name.`, {
        details: `Got ${describeValue(name)}.`,
      })
    }
    if (Object.hasOwn(result, name)) {
      throw new InvalidInputError(`The model output has two ${kindNames[kind]}s named "${name}".`, {
        tensorName: name,
      })
    }
    // defineProperty: a tensor named "__proto__" must stay a plain entry.
    Object.defineProperty(result, name, {
      value: decode(fields, name),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  })
  return result
}

/** `[name, values, shape]` for tensors, `[name, value]` for JSON scalars, from either form. */
function fieldsOf(entry: unknown, kind: Kind, position: number): readonly unknown[] {
  if (Array.isArray(entry)) return entry
  if (typeof entry === 'object' && entry !== null) {
    const named = entry as Record<string, unknown>
    return kind === 'jsons' ? [named.name, named.value] : [named.name, named.values, named.shape]
  }
  throw new InvalidInputError(
    `The ${kindNames[kind]} at position ${position} must be an object or a tuple, not ${describeValue(entry)}.`,
  )
}

function decodeNumberTensor(fields: readonly unknown[], name: string): NumberTensor {
  const [, values, shapeField] = fields
  if (!Array.isArray(values)) {
    throw new InvalidInputError(`The values of number tensor "${name}" must be an array.`, {
      tensorName: name,
    })
  }
  const shape = decodeShape(shapeField, name)
  checkSize(shape, values.length, name, 'number')
  const raw = values.map((pair: unknown, index): FixedPointNumber => {
    let value: unknown
    let decimals: unknown
    if (Array.isArray(pair)) [value, decimals] = pair
    else if (typeof pair === 'object' && pair !== null) {
      ;({ value, decimals } = pair as { value?: unknown; decimals?: unknown })
    } else {
      throw new InvalidInputError(`A value of number tensor "${name}" is not a fixed-point pair.`, {
        tensorName: name,
        index,
        details: `Got ${describeValue(pair)}.`,
      })
    }
    return {
      value: toInt128(value, 'value', name, index),
      decimals: toInt128(decimals, 'decimals', name, index),
    }
  })
  return { shape, data: raw.map(fixedPointToNumber), raw }
}

function decodeStringTensor(fields: readonly unknown[], name: string): StringTensor {
  const [, values, shapeField] = fields
  if (!Array.isArray(values)) {
    throw new InvalidInputError(`The values of string tensor "${name}" must be an array.`, {
      tensorName: name,
    })
  }
  values.forEach((value: unknown, index) => {
    if (typeof value !== 'string') {
      throw new InvalidInputError(`A value of string tensor "${name}" is not a string.`, {
        tensorName: name,
        index,
        details: `Got ${describeValue(value)}.`,
      })
    }
  })
  // On chain there is no shape: the tensor is one-dimensional.
  if (shapeField === undefined || shapeField === null) {
    return { shape: [values.length], data: [...(values as string[])] }
  }
  const shape = decodeShape(shapeField, name)
  checkSize(shape, values.length, name, 'string')
  return { shape, data: [...(values as string[])] }
}

function decodeJsonScalar(fields: readonly unknown[], name: string): unknown {
  const [, value] = fields
  if (typeof value !== 'string') {
    throw new InvalidInputError(`The JSON scalar "${name}" must hold JSON text.`, {
      tensorName: name,
      details: `Got ${describeValue(value)}.`,
    })
  }
  try {
    return JSON.parse(value)
  } catch (error) {
    throw new InvalidInputError(`The JSON scalar "${name}" is not valid JSON.`, {
      tensorName: name,
      cause: error,
    })
  }
}

function decodeShape(shape: unknown, name: string): number[] {
  if (!Array.isArray(shape)) {
    throw new InvalidInputError(`The shape of tensor "${name}" must be an array.`, {
      tensorName: name,
      details: `Got ${describeValue(shape)}.`,
    })
  }
  return shape.map((dimension: unknown) => {
    const size =
      typeof dimension === 'bigint'
        ? Number(dimension)
        : typeof dimension === 'string' && isIntegerText(dimension)
          ? Number(dimension)
          : dimension
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > uint32Max) {
      throw new InvalidInputError(
        `The shape of tensor "${name}" has the dimension ${describeValue(dimension)}, which is not a uint32.`,
        { tensorName: name },
      )
    }
    return size
  })
}

function checkSize(shape: readonly number[], count: number, name: string, kind: string): void {
  const size = shape.reduce((product, dimension) => product * dimension, 1)
  if (size !== count) {
    throw new InvalidInputError(
      `The values of ${kind} tensor "${name}" do not fit its shape [${shape.join(', ')}]: the shape holds ${size}, the tensor has ${count}.`,
      { tensorName: name },
    )
  }
}

function toInt128(raw: unknown, field: 'value' | 'decimals', name: string, index: number): bigint {
  let result: bigint | undefined
  if (typeof raw === 'bigint') result = raw
  else if (typeof raw === 'number') {
    if (Number.isSafeInteger(raw)) result = BigInt(raw)
    else if (Number.isInteger(raw)) {
      throw new InvalidInputError(
        `The ${field} ${describeValue(raw)} of number tensor "${name}" has lost digits as a JS number.`,
        {
          tensorName: name,
          index,
          details:
            'Integers beyond 2^53 lose digits as JS numbers; give them as bigints or decimal strings, for example by parsing the JSON with big integers kept as strings.',
        },
      )
    }
  } else if (typeof raw === 'string' && isIntegerText(raw)) result = BigInt(raw)
  if (result === undefined || result > int128Max || result < int128Min) {
    throw new InvalidInputError(
      `The ${field} ${describeValue(raw)} of number tensor "${name}" is not an int128.`,
      { tensorName: name, index },
    )
  }
  return result
}

function isIntegerText(text: string): boolean {
  const start = text.charCodeAt(0) === 45 || text.charCodeAt(0) === 43 ? 1 : 0
  if (text.length === start) return false
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 48 || code > 57) return false
  }
  return true
}
