import { InvalidInputError, type InvalidInputErrorType } from '../errors/input.js'
import type {
  AbiModelInput,
  AbiNumberTensor,
  AbiStringTensor,
  ModelInput,
  ModelInputEntries,
  ModelInputValue,
} from '../types/tensors.js'
import { describeValue } from './elementError.js'
import { flattenTensor } from './flattenTensor.js'

export type EncodeModelInputParameters = {
  /**
   * Receives warnings about input the chain cannot carry as given: a string tensor of rank 2 or
   * more is sent flat, since on-chain string tensors have no shape.
   * @default undefined (warnings are dropped)
   */
  onWarning?: ((message: string) => void) | undefined
}

export type EncodeModelInputReturnType = AbiModelInput

export type EncodeModelInputErrorType = InvalidInputErrorType

/**
 * Turns a model input into the on-chain `ModelInput` struct, like the reference: entries in
 * order, each one a number tensor (fixed-point values, row-major, with its shape) or a string
 * tensor (flat values, no shape); `numbers` and `strings` each keep the entry order. See
 * {@link flattenTensor} for the accepted tensor forms.
 *
 * The input is a plain object, a `Map` or an array of `[name, value]` entries. A plain object
 * lists integer-like names (`"0"`, `"12"`) first, whatever their position in the source; use a
 * `Map` or entries when that order matters.
 *
 * Throws an `InvalidInputError` naming the tensor and the element for NaN, ±Infinity, ragged
 * arrays, mixed strings and numbers, booleans, `null`, objects, more than 18 decimals, values
 * outside int128, empty names and repeated names.
 *
 * @example
 * ```ts
 * encodeModelInput({ num_input1: [1.0, 2.0, 3.0], num_input2: 10, str_input1: ['hello', 'ONNX'] })
 * // {
 * //   numbers: [
 * //     { name: 'num_input1', values: [{ value: 1n, decimals: 0n }, ...], shape: [3] },
 * //     { name: 'num_input2', values: [{ value: 10n, decimals: 0n }], shape: [1] },
 * //   ],
 * //   strings: [{ name: 'str_input1', values: ['hello', 'ONNX'] }],
 * // }
 * ```
 */
export function encodeModelInput(
  input: ModelInput | ModelInputEntries,
  parameters: EncodeModelInputParameters = {},
): EncodeModelInputReturnType {
  const numbers: AbiNumberTensor[] = []
  const strings: AbiStringTensor[] = []
  const names = new Set<string>()
  let position = 0
  for (const [name, value] of entriesOf(input)) {
    if (typeof name !== 'string' || name === '') {
      throw new InvalidInputError(
        name === ''
          ? 'Tensor names must not be empty.'
          : `Tensor names must be strings, not ${describeValue(name)}.`,
        { metaMessages: [`Entry: ${position}`] },
      )
    }
    if (names.has(name)) {
      throw new InvalidInputError(`The tensor name "${name}" appears more than once.`, {
        tensorName: name,
        metaMessages: [`Entry: ${position}`],
      })
    }
    names.add(name)
    const tensor = flattenTensor(value as ModelInputValue, { name })
    if (tensor.type === 'number') {
      numbers.push({ name, values: tensor.values, shape: tensor.shape })
    } else {
      if (tensor.shape.length > 1) {
        parameters.onWarning?.(
          `The string tensor "${name}" has shape [${tensor.shape.join(', ')}]; the chain keeps no shape for strings, so it is sent as a flat list of length ${tensor.values.length}.`,
        )
      }
      strings.push({ name, values: tensor.values })
    }
    position++
  }
  return { numbers, strings }
}

// Names and values are checked by the caller: JS callers can pass anything.
function entriesOf(input: ModelInput | ModelInputEntries): Iterable<readonly [unknown, unknown]> {
  const source = input as unknown
  if (source instanceof Map) return source
  if (Array.isArray(source)) {
    source.forEach((entry, position) => {
      if (!Array.isArray(entry) || entry.length !== 2) {
        throw new InvalidInputError(
          `Each model input entry must be a [name, value] pair, not ${describeValue(entry)}.`,
          { metaMessages: [`Entry: ${position}`] },
        )
      }
    })
    return source as readonly (readonly [unknown, ModelInputValue])[]
  }
  if (typeof source !== 'object' || source === null || ArrayBuffer.isView(source)) {
    throw new InvalidInputError(
      `The model input must be an object of tensors by name, not ${describeValue(source)}.`,
    )
  }
  return Object.entries(source)
}
