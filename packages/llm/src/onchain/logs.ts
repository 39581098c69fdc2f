import { inferencePrecompileAddress } from '@opengradient/core'
import { type Abi, type Address, decodeEventLog, type Log, toEventSelector } from 'viem'

/**
 * Finds and decodes the first log of `eventName` emitted by `address`. Matching the emitter and
 * the topic (never a position, never the topic alone) keeps other contracts' logs out.
 *
 * @example
 * ```ts
 * const result = findEventLog({ logs: receipt.logs, abi: inferenceHubAbi, eventName: 'LLMChatResult', address: hub })
 * ```
 */
export function findEventLog(parameters: {
  logs: readonly Log[]
  abi: Abi
  eventName: string
  address: Address
  /** Only logs before this index, closest first. */
  before?: number | undefined
}): { index: number; args: Record<string, unknown> } | undefined {
  const { logs, abi, eventName, address, before } = parameters
  const event = abi.find((item) => item.type === 'event' && item.name === eventName)
  if (event?.type !== 'event') throw new TypeError(`Event "${eventName}" is not in the ABI.`)
  const topic = toEventSelector(event)
  const indices = [...Array(before ?? logs.length).keys()]
  if (before !== undefined) indices.reverse()
  for (const index of indices) {
    const log = logs[index]
    if (!log || log.address.toLowerCase() !== address.toLowerCase() || log.topics[0] !== topic)
      continue
    const decoded = decodeEventLog({ abi: [event], data: log.data, topics: log.topics })
    return { index, args: decoded.args as unknown as Record<string, unknown> }
  }
  return undefined
}

/**
 * The precompile's log for a hub log: the closest preceding one from `0x…F4` with the topic.
 *
 * @example
 * ```ts
 * const event = findPrecompileLogBefore({ logs, abi: inferencePrecompileAbi, eventName: 'LLMChat', before: result.index })
 * ```
 */
export function findPrecompileLogBefore(parameters: {
  logs: readonly Log[]
  abi: Abi
  eventName: string
  before: number
}) {
  return findEventLog({ ...parameters, address: inferencePrecompileAddress })
}
