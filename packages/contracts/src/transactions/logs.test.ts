import { inferencePrecompileAddress } from '@opengradient/core'
import {
  type Abi,
  type AbiEvent,
  decodeEventLog,
  encodeAbiParameters,
  type Hex,
  type Log,
  toEventSelector,
} from 'viem'
import { describe, expect, test } from 'vitest'
import { inferenceHubAbi, inferencePrecompileAbi } from '../exports/index.js'
import { findEventLog, findPrecompileLogBefore } from './logs.js'

const hub = '0x8383C9bD7462F12Eb996DD02F78234C0421A6FaE'
const output = {
  numbers: [
    {
      name: 'num_output1',
      values: [{ value: 11n, decimals: 0n }],
      shape: [1n],
    },
  ],
  strings: [{ name: 'str_output1', values: ['hello'], shape: [1n] }],
  jsons: [],
  is_simulation_result: false,
} as const
const request = {
  mode: 0,
  modelCID: 'Qm',
  input: { numbers: [], strings: [{ name: 's', values: ['x'], shape: [1n] }] },
} as const

function logOf(address: Hex, abi: Abi, eventName: string, args: unknown[]): Log {
  const event = abi.find(
    (item): item is AbiEvent => item.type === 'event' && item.name === eventName,
  )!
  return {
    address,
    topics: [toEventSelector(event)],
    data: encodeAbiParameters(event.inputs, args),
    blockHash: null,
    blockNumber: null,
    logIndex: null,
    transactionHash: null,
    transactionIndex: null,
    removed: false,
  }
}

const logs = [
  logOf(hub, inferenceHubAbi, 'InferenceResult', [output]),
  logOf(inferencePrecompileAddress, inferencePrecompileAbi, 'ModelInferenceEvent', [
    'id-1',
    request,
    output,
  ]),
  logOf(hub, inferenceHubAbi, 'InferenceResult', [output]),
]

describe('findEventLog', () => {
  test('default: finds by address and topic and decodes like decodeEventLog', () => {
    const found = findEventLog({
      logs,
      abi: inferenceHubAbi,
      eventName: 'InferenceResult',
      address: hub,
    })
    expect(found?.index).toBe(0)
    expect(found?.args).toEqual(
      decodeEventLog({ abi: inferenceHubAbi, data: logs[0]!.data, topics: logs[0]!.topics }).args,
    )
  })

  test('behavior: a log from another address is skipped', () => {
    const found = findEventLog({
      logs: logs.slice(1),
      abi: inferenceHubAbi,
      eventName: 'InferenceResult',
      address: hub,
    })
    expect(found?.index).toBe(1)
  })
})

describe('findPrecompileLogBefore', () => {
  test('default: the closest preceding precompile log, fully decoded', () => {
    const found = findPrecompileLogBefore({
      logs,
      abi: inferencePrecompileAbi,
      eventName: 'ModelInferenceEvent',
      before: 2,
    })
    expect(found?.index).toBe(1)
    expect(found?.args).toEqual(
      decodeEventLog({
        abi: inferencePrecompileAbi,
        data: logs[1]!.data,
        topics: logs[1]!.topics,
      }).args,
    )
    expect(found?.args.inferenceID).toBe('id-1')
  })

  test('args: firstStringOnly decodes the inference id alone', () => {
    const found = findPrecompileLogBefore({
      logs,
      abi: inferencePrecompileAbi,
      eventName: 'ModelInferenceEvent',
      before: 2,
      firstStringOnly: true,
    })
    expect(found).toEqual({ index: 1, args: { inferenceID: 'id-1' } })
  })
})
