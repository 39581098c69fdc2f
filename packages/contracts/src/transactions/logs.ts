import { inferencePrecompileAddress } from '@opengradient/core'
import {
  type Abi,
  type AbiEvent,
  type Address,
  decodeAbiParameters,
  decodeEventLog,
  type Hex,
  type Log,
  toEventSelector,
} from 'viem'
import { hexToBytesFast } from './hex.js'

// Event selectors by ABI item: hashing a signature with nested tuples is not free, and every
// receipt of an inference is searched with the same few events.
const selectors = new WeakMap<AbiEvent, Hex>()

function selectorOf(event: AbiEvent): Hex {
  let selector = selectors.get(event)
  if (!selector) {
    selector = toEventSelector(event)
    selectors.set(event, selector)
  }
  return selector
}

/**
 * Finds the first log emitted by `address` with the event's topic, and decodes it. Matching
 * both (never the position, never the topic alone) is what keeps this robust against other
 * contracts' logs in the same receipt.
 *
 * @example
 * ```ts
 * const found = findEventLog({ logs: receipt.logs, abi: inferenceHubAbi, eventName: 'InferenceResult', address: hub })
 * ```
 */
export function findEventLog<const abi extends Abi>(parameters: {
  logs: readonly Log[]
  abi: abi
  eventName: string
  address: Address
  /** Only logs before this index. */
  before?: number | undefined
  /** Search from the end (the closest preceding log). */
  fromEnd?: boolean | undefined
  /**
   * Decode only the event's first argument, which must be a non-indexed `string` (as the
   * precompiles' `inferenceID`): a precompile event also carries the whole request and output,
   * and decoding them costs more than the rest of reading a receipt.
   */
  firstStringOnly?: boolean | undefined
  /**
   * Decodes the found log's data instead of viem (for example `decodeModelOutputData` for the
   * hub's `InferenceResult`); returns the event's arguments by name.
   */
  decodeData?: ((data: Hex) => Record<string, unknown>) | undefined
}): { index: number; args: Record<string, unknown> } | undefined {
  const { logs, abi, eventName, address } = parameters
  const event = abi.find((item) => item.type === 'event' && item.name === eventName)
  if (event?.type !== 'event') throw new Error(`Event "${eventName}" is not in the ABI.`)
  const topic = selectorOf(event)
  const end = Math.min(parameters.before ?? logs.length, logs.length)
  const wanted = address.toLowerCase()
  for (let step = 0; step < end; step++) {
    const index = parameters.fromEnd ? end - 1 - step : step
    const log = logs[index]
    if (!log || log.topics[0] !== topic || log.address.toLowerCase() !== wanted) continue
    if (parameters.decodeData) return { index, args: parameters.decodeData(log.data) }
    const first = event.inputs[0]
    if (parameters.firstStringOnly && first?.type === 'string' && !first.indexed && first.name) {
      // ABI decoding reads a head word and the data it points to: the rest is never touched.
      const [value] = decodeAbiParameters([{ type: 'string' }], hexToBytesFast(log.data))
      return { index, args: { [first.name]: value } }
    }
    if (event.inputs.every((input) => !input.indexed && input.name)) {
      // Address and topic already matched: only the data is left to decode, without looking
      // the event up again by a selector hashed from its signature.
      const values = decodeAbiParameters(event.inputs, hexToBytesFast(log.data))
      return {
        index,
        args: Object.fromEntries(event.inputs.map((input, at) => [input.name!, values[at]])),
      }
    }
    const decoded = decodeEventLog({ abi: [event], data: log.data, topics: log.topics })
    return { index, args: decoded.args as unknown as Record<string, unknown> }
  }
  return undefined
}

/**
 * The precompile log that belongs to a hub log: the closest preceding one from `0xF4`.
 *
 * @example
 * ```ts
 * const log = findPrecompileLogBefore({ logs, abi: inferencePrecompileAbi, eventName: 'ModelInferenceEvent', before: result.index, firstStringOnly: true })
 * log?.args.inferenceID
 * ```
 */
export function findPrecompileLogBefore<const abi extends Abi>(parameters: {
  logs: readonly Log[]
  abi: abi
  eventName: string
  before: number
  address?: Address | undefined
  /** Decode only the inference id; see {@link findEventLog}. */
  firstStringOnly?: boolean | undefined
}) {
  return findEventLog({
    ...parameters,
    address: parameters.address ?? inferencePrecompileAddress,
    fromEnd: true,
  })
}
