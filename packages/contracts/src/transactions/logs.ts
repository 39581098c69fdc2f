import { inferencePrecompileAddress } from '@opengradient/core'
import { type Abi, type Address, decodeEventLog, type Log, toEventSelector } from 'viem'

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
}): { index: number; args: Record<string, unknown> } | undefined {
  const { logs, abi, eventName, address } = parameters
  const event = abi.find((item) => item.type === 'event' && item.name === eventName)
  if (event?.type !== 'event') throw new Error(`Event "${eventName}" is not in the ABI.`)
  const topic = toEventSelector(event)
  const end = parameters.before ?? logs.length
  const indices = [...Array(end).keys()]
  if (parameters.fromEnd) indices.reverse()
  for (const index of indices) {
    const log = logs[index]
    if (!log || log.address.toLowerCase() !== address.toLowerCase() || log.topics[0] !== topic)
      continue
    const decoded = decodeEventLog({ abi: [event], data: log.data, topics: log.topics })
    return { index, args: decoded.args as unknown as Record<string, unknown> }
  }
  return undefined
}

/** The precompile log that belongs to a hub log: the closest preceding one from `0xF4`. */
export function findPrecompileLogBefore<const abi extends Abi>(parameters: {
  logs: readonly Log[]
  abi: abi
  eventName: string
  before: number
  address?: Address | undefined
}) {
  return findEventLog({
    ...parameters,
    address: parameters.address ?? inferencePrecompileAddress,
    fromEnd: true,
  })
}
