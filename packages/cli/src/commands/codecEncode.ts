import { encodeModelInput, parseModelInputJson } from '@opengradient/core'
import type { CommandContext } from '../context.js'
import { readInputText } from '../inputText.js'
import { toJsonText } from '../json.js'

export type CodecEncodeOptions = {
  /** Read the input from this file (`-` for stdin). */
  file?: string | undefined
  /** Also print the ABI encoding of the struct. */
  abi?: boolean | undefined
}

/**
 * `og codec encode <json>`: a model input (JSON object of tensors by name, numbers kept exactly)
 * as the on-chain `ModelInput` struct, with bigints as decimal strings; with `--abi`, also the
 * struct's ABI encoding as the hub's `run` takes it.
 *
 * @example
 * ```sh
 * og codec encode '{"x":[0.1,2.5]}'
 * # {"numbers":[{"name":"x","values":[{"value":"1","decimals":"1"},{"value":"25","decimals":"1"}],"shape":[2]}],"strings":[]}
 * ```
 */
export async function codecEncode(
  context: CommandContext,
  json: string | undefined,
  options: CodecEncodeOptions = {},
): Promise<void> {
  const text = await readInputText(context, {
    text: json,
    file: options.file,
    what: 'model input JSON',
  })
  const modelInput = encodeModelInput(parseModelInputJson(text), { onWarning: context.warn })
  if (!options.abi) {
    if (context.json) context.printJson(modelInput)
    else context.print(toJsonText(modelInput))
    return
  }
  const abi = await encodeModelInputAbi(modelInput)
  if (context.json) {
    context.printJson({ modelInput, abi })
    return
  }
  context.print(toJsonText(modelInput))
  context.print(abi)
}

/** ABI-encodes a `ModelInput` struct with the parameter type of the hub's `run`. */
async function encodeModelInputAbi(
  modelInput: ReturnType<typeof encodeModelInput>,
): Promise<`0x${string}`> {
  // Loaded on demand: most runs need neither the ABIs nor viem's encoder.
  const [{ inferenceHubAbi }, { encodeAbiParameters, getAbiItem }] = await Promise.all([
    import('@opengradient/contracts'),
    import('viem'),
  ])
  const parameter = getAbiItem({ abi: inferenceHubAbi, name: 'run' }).inputs[2]
  return encodeAbiParameters([parameter], [modelInput])
}
