import {
  type DecodeModelOutputParameters,
  decodeModelOutput,
  fixedPointToDecimalString,
  InvalidInputError,
  type ModelOutput,
  type NestedArray,
  reshapeTensor,
  toFloat32,
} from '@opengradient/core'
import type { AbiParameter } from 'viem'
import type { CommandContext } from '../context.js'
import { readInputText } from '../inputText.js'

export type CodecDecodeOptions = {
  /** Read the input from this file (`-` for stdin). */
  file?: string | undefined
  /** The input is the ABI encoding of a `ModelOutput` (or `ModelInput`) as hex. */
  abi?: boolean | undefined
  /** Values as the reference SDK decodes them (float32) instead of exact decimals. */
  float32?: boolean | undefined
}

/** The decoded tensors as `--json` prints them: values nested by shape. */
export type DecodedTensorsJson = {
  numbers: Record<string, { shape: number[]; values: unknown }>
  strings: Record<string, { shape: number[]; values: unknown }>
  jsons: Record<string, unknown>
  isSimulationResult: boolean
}

/**
 * `og codec decode <json>`: the tensors of a `ModelInput` or `ModelOutput` struct (the form
 * `og codec encode` prints, or a node's `model_output`), or with `--abi` of its ABI encoding:
 * each tensor's name, shape and values, nested by shape. Values are exact decimals unless
 * `--float32` asks for the reference SDK's float32 values.
 *
 * @example
 * ```sh
 * og codec decode '{"numbers":[{"name":"x","values":[{"value":"1","decimals":"1"}],"shape":[1]}],"strings":[]}'
 * # x (number, shape [1]): [0.1]
 * ```
 */
export async function codecDecode(
  context: CommandContext,
  json: string | undefined,
  options: CodecDecodeOptions = {},
): Promise<void> {
  const text = await readInputText(context, {
    text: json,
    file: options.file,
    what: options.abi ? 'ABI-encoded hex' : 'model tensor JSON',
  })
  const source = options.abi ? await decodeAbiHex(text.trim()) : parseStructJson(text)
  const output = decodeModelOutput(source)
  const tensors = toDecodedTensors(output, options.float32 === true)
  if (context.json) {
    context.printJson(tensors)
    return
  }
  if (tensors.isSimulationResult) {
    context.print('Simulation result: the placeholder output of the simulation phase.')
  }
  const lines = [
    ...Object.entries(tensors.numbers).map(
      ([name, tensor]) =>
        `${name} (number, shape [${tensor.shape.join(', ')}]): ${formatNested(tensor.values, String)}`,
    ),
    ...Object.entries(tensors.strings).map(
      ([name, tensor]) =>
        `${name} (string, shape [${tensor.shape.join(', ')}]): ${formatNested(tensor.values, (value) => JSON.stringify(value))}`,
    ),
    ...Object.entries(tensors.jsons).map(
      ([name, value]) => `${name} (json): ${JSON.stringify(value)}`,
    ),
  ]
  if (lines.length === 0) context.print('No tensors.')
  for (const line of lines) context.print(line)
}

/** Nests each tensor's values by its shape: exact decimal strings, or float32 numbers. */
export function toDecodedTensors(output: ModelOutput, float32: boolean): DecodedTensorsJson {
  const numbers: DecodedTensorsJson['numbers'] = {}
  for (const [name, tensor] of Object.entries(output.numbers)) {
    const values: (string | number)[] = float32
      ? tensor.raw.map(toFloat32)
      : tensor.raw.map(fixedPointToDecimalString)
    define(numbers, name, {
      shape: tensor.shape,
      values: reshapeTensor({ shape: tensor.shape, data: values }),
    })
  }
  const strings: DecodedTensorsJson['strings'] = {}
  for (const [name, tensor] of Object.entries(output.strings)) {
    define(strings, name, { shape: tensor.shape, values: reshapeTensor(tensor) })
  }
  return { numbers, strings, jsons: output.jsons, isSimulationResult: output.isSimulationResult }
}

function parseStructJson(text: string): DecodeModelOutputParameters {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new InvalidInputError('The model tensor JSON is not valid JSON.', { cause: error })
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidInputError(
      'The model tensor JSON must be an object with "numbers" and "strings" (and "jsons").',
    )
  }
  return parsed as DecodeModelOutputParameters
}

/**
 * Decodes hex as a `ModelOutput`, else as a `ModelInput`: the first whose canonical re-encoding
 * gives the same bytes, so one struct is never misread as the other.
 */
async function decodeAbiHex(text: string): Promise<DecodeModelOutputParameters> {
  const hex: `0x${string}` = `0x${/^0x/i.test(text) ? text.slice(2) : text}`
  if (!/^0x([0-9a-fA-F]{2})*$/.test(hex)) {
    throw new InvalidInputError('The ABI-encoded input is not hex.', {
      metaMessages: ['Expected 0x followed by an even number of hex digits.'],
    })
  }
  // Loaded on demand: most runs need neither the ABIs nor viem's decoder.
  const [{ inferenceHubAbi }, { decodeAbiParameters, encodeAbiParameters, getAbiItem }] =
    await Promise.all([import('@opengradient/contracts'), import('viem')])
  const run = getAbiItem({ abi: inferenceHubAbi, name: 'run' })
  const candidates: readonly AbiParameter[] = [run.outputs[0], run.inputs[2]]
  for (const parameter of candidates) {
    try {
      const decoded = decodeAbiParameters([parameter], hex)
      if (encodeAbiParameters([parameter], decoded).toLowerCase() === hex.toLowerCase()) {
        return decoded[0] as DecodeModelOutputParameters
      }
    } catch {}
  }
  throw new InvalidInputError('The hex is not the ABI encoding of a ModelOutput or a ModelInput.')
}

function formatNested(value: unknown, formatElement: (element: unknown) => string): string {
  if (Array.isArray(value)) {
    return `[${(value as NestedArray<unknown>).map((item) => formatNested(item, formatElement)).join(', ')}]`
  }
  return formatElement(value)
}

// defineProperty: a tensor named "__proto__" must stay a plain entry.
function define<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
}
