// Our contracts must be callable by every client of the network: same selectors, same event
// topics, same parameter names and struct layouts as the ABIs published for the real contracts.

import { readFileSync } from 'node:fs'
import {
  type Abi,
  type AbiEvent,
  type AbiFunction,
  type AbiParameter,
  toEventSelector,
  toFunctionSelector,
  toFunctionSignature,
} from 'viem'
import { describe, expect, test } from 'vitest'
import { inferencePrecompileAbi } from './generated/IInferencePrecompile.js'
import { inferenceHubAbi } from './generated/InferenceHub.js'
import { inferencePrecompileStandInAbi } from './generated/InferencePrecompileStandIn.js'
import { priceHistoryPrecompileAbi } from './generated/IPriceHistoryPrecompile.js'
import { legacyTeeRegistryAbi } from './generated/LegacyTEERegistry.js'
import { priceHistoryInferenceAbi } from './generated/PriceHistoryInference.js'
import { priceHistoryPrecompileStandInAbi } from './generated/PriceHistoryPrecompileStandIn.js'
import { taskSchedulerAbi } from './generated/TaskScheduler.js'
import { teeRegistryAbi } from './generated/TEERegistry.js'

/** The shared protocol reference sits beside the repository: <root>/../shared/abi. */
function sharedAbi(file: string): Abi {
  return JSON.parse(
    readFileSync(new URL(`../../../../shared/abi/${file}`, import.meta.url), 'utf8'),
  )
}

function functionsOf(abi: Abi): Map<string, AbiFunction> {
  return new Map(
    abi.filter((item): item is AbiFunction => item.type === 'function').map((f) => [f.name, f]),
  )
}

function eventsOf(abi: Abi): Map<string, AbiEvent> {
  return new Map(
    abi.filter((item): item is AbiEvent => item.type === 'event').map((e) => [e.name, e]),
  )
}

/** An ABI parameter without `internalType`, which names Solidity types and is not on the wire. */
function wireShape(parameter: AbiParameter): unknown {
  const { name, type } = parameter
  const components = 'components' in parameter ? parameter.components : undefined
  const indexed = 'indexed' in parameter ? parameter.indexed : undefined
  return {
    name,
    type,
    ...(components ? { components: components.map(wireShape) } : {}),
    ...(indexed ? { indexed } : {}),
  }
}

function expectSameSurface(ours: Abi, real: Abi) {
  const ourFunctions = functionsOf(ours)
  const ourEvents = eventsOf(ours)
  const realFunctions = functionsOf(real)
  const realEvents = eventsOf(real)

  expect([...ourFunctions.keys()].sort()).toEqual([...realFunctions.keys()].sort())
  expect([...ourEvents.keys()].sort()).toEqual([...realEvents.keys()].sort())

  for (const [name, realFunction] of realFunctions) {
    const ourFunction = ourFunctions.get(name)!
    expect(toFunctionSelector(ourFunction), name).toBe(toFunctionSelector(realFunction))
    expect(toFunctionSignature(ourFunction), name).toBe(toFunctionSignature(realFunction))
    expect(ourFunction.stateMutability, name).toBe(realFunction.stateMutability)
    expect(ourFunction.inputs.map(wireShape), name).toEqual(realFunction.inputs.map(wireShape))
    expect(ourFunction.outputs.map(wireShape), name).toEqual(realFunction.outputs.map(wireShape))
  }
  for (const [name, realEvent] of realEvents) {
    const ourEvent = ourEvents.get(name)!
    expect(toEventSelector(ourEvent), name).toBe(toEventSelector(realEvent))
    expect(ourEvent.inputs.map(wireShape), name).toEqual(realEvent.inputs.map(wireShape))
    expect(Boolean(ourEvent.anonymous), name).toBe(Boolean(realEvent.anonymous))
  }
}

/** Selectors and topics as listed in the protocol reference (onchain-inference.md, workflows.md). */
const referenceTable: Record<string, { abi: Abi; members: Record<string, string> }> = {
  InferenceHub: {
    abi: inferenceHubAbi,
    members: {
      run: '0xcbf09d80',
      runLLMCompletion: '0x14800c61',
      runLLMChat: '0xe39aa7e7',
      InferenceResult: '0xc1396ff68bc2d8630100df29ce5561fa99078c602e8676ab72a53e37095d7168',
      LLMCompletionResult: '0xe522a1a92cb132ca102e36a004efceb8c83284b64164e0d128ddce12e86cab7b',
      LLMChatResult: '0x53fcd580be8545626a896d86eb76e16597d793de715dda5d21df71d303d1ff96',
    },
  },
  InferencePrecompile: {
    abi: inferencePrecompileAbi,
    members: {
      runModelInference: '0x7289e9c2',
      runLLMCompletion: '0x14800c61',
      runLLMChat: '0xe39aa7e7',
      ModelInferenceEvent: '0x1b283af3452f3718585ce100f80d9aa81fc60924db4a582a36db6aae3b109d87',
      LLMCompletionEvent: '0x51fe69d513d73ecde3fa3bf17584f7d2acfd5f0b13d367e898d6e11e742127a3',
      LLMChat: '0x4c92d3df7819fcd1c9f9663332f0a599a65eefdad2eaf9193cffb9dbf1919c3b',
    },
  },
  PriceHistoryPrecompile: {
    abi: priceHistoryPrecompileAbi,
    members: {
      queryHistoricalCandles: '0xf2f08e63',
      runInferenceOnPriceFeed: '0xa192a0f9',
      HistoricalInferenceEvent:
        '0xa0b84adf414dd08829ae42fc67da313f3657559b5a413d120fc74eb81635cb51',
    },
  },
  PriceHistoryInference: {
    abi: priceHistoryInferenceAbi,
    members: {
      modelId: '0x43cdaad2',
      inputName: '0x55497011',
      inputQuery: '0xc4c71aac',
      historicalContract: '0xdf958cf6',
      run: '0xc0406226',
      getInferenceResult: '0x1b9fc701',
      getLastInferenceResults: '0x9e30396c',
      InferenceResultEmitted: '0x5a1ed425a160d1bc929890b991acc0e3d25a6f5db1ac65c07ee4c917708f76d4',
    },
  },
  TaskScheduler: {
    abi: taskSchedulerAbi,
    members: {
      registerTask: '0x31a7e88c',
      updateTask: '0xacac5393',
      stopTask: '0x2f730891',
      tasks: '0xe579f500',
      taskIds: '0x39118d25',
      getAllTasks: '0x779900b4',
      TaskRegistered: '0x2f401f04107164177693d79d92457c4baa184a9b5a5265d3e6d4ab0ab6716724',
      TaskStopped: '0x241f6a996425ccc55c93e17e9edc6e85a05deaf40ba91ab84dd4a4ccfa04070a',
      TaskUpdated: '0x8e337393daef41df7da28202ae5795388856a55cccc6993dc6c60991de8af034',
    },
  },
}

describe('conformance with the network ABIs', () => {
  test.each([
    ['InferenceHub.json', inferenceHubAbi],
    ['InferencePrecompile.json', inferencePrecompileAbi],
    ['PriceHistoryInference.json', priceHistoryInferenceAbi],
    ['TaskScheduler.json', taskSchedulerAbi],
  ] as const)('default: %s matches ours member by member', (file, ours) => {
    expectSameSurface(ours, sharedAbi(file))
  })

  test('default: PriceHistoryInference has the same constructor', () => {
    const constructorOf = (abi: Abi) => abi.find((item) => item.type === 'constructor')
    const ours = constructorOf(priceHistoryInferenceAbi)
    const real = constructorOf(sharedAbi('PriceHistoryInference.json'))
    expect(ours && 'inputs' in ours ? ours.inputs.map(wireShape) : undefined).toEqual(
      real && 'inputs' in real ? real.inputs.map(wireShape) : undefined,
    )
  })

  test('default: WorkflowScheduler.json is a subset of TaskScheduler', () => {
    const ours = functionsOf(taskSchedulerAbi)
    const real = sharedAbi('WorkflowScheduler.json')
    const realFunctions = [...functionsOf(real).values()]
    expect(realFunctions.map((f) => f.name)).toEqual(['registerTask'])
    for (const realFunction of realFunctions) {
      const ourFunction = ours.get(realFunction.name)
      expect(ourFunction).toBeDefined()
      expect(toFunctionSelector(ourFunction!)).toBe(toFunctionSelector(realFunction))
      expect(ourFunction!.inputs.map(wireShape)).toEqual(realFunction.inputs.map(wireShape))
    }
  })

  test.each(Object.entries(referenceTable))(
    'default: %s selectors and topics match the protocol reference',
    (_, { abi, members }) => {
      const functions = functionsOf(abi)
      const events = eventsOf(abi)
      for (const [name, expected] of Object.entries(members)) {
        const fn = functions.get(name)
        const event = events.get(name)
        expect(fn ?? event, name).toBeDefined()
        expect(fn ? toFunctionSelector(fn) : toEventSelector(event!), name).toBe(expected)
      }
      expect([...functions.keys(), ...events.keys()].sort()).toEqual(Object.keys(members).sort())
    },
  )

  test.each([
    ['InferencePrecompileStandIn', inferencePrecompileStandInAbi, inferencePrecompileAbi],
    ['PriceHistoryPrecompileStandIn', priceHistoryPrecompileStandInAbi, priceHistoryPrecompileAbi],
  ] as const)(
    'behavior: %s implements the whole precompile interface',
    (_, standIn, precompile) => {
      const standInFunctions = functionsOf(standIn)
      const standInEvents = eventsOf(standIn)
      for (const [name, fn] of functionsOf(precompile)) {
        expect(toFunctionSelector(standInFunctions.get(name)!), name).toBe(toFunctionSelector(fn))
        expect(standInFunctions.get(name)!.stateMutability, name).toBe('nonpayable')
      }
      for (const [name, event] of eventsOf(precompile)) {
        expect(toEventSelector(standInEvents.get(name)!), name).toBe(toEventSelector(event))
      }
      // The only extra members are the prepared results' helpers.
      expect(
        [...standInFunctions.keys()].filter((name) => !functionsOf(precompile).has(name)).sort(),
      ).toEqual(['consumedResults', 'resultAccount'])
    },
  )

  test('default: the copy of TEERegistry.legacy.json that codegen reads equals the shared one', () => {
    const file = 'TEERegistry.legacy.json'
    const copy = JSON.parse(readFileSync(new URL(`../abi/${file}`, import.meta.url), 'utf8'))
    expect(copy).toEqual(sharedAbi(file))
  })

  test('default: TEERegistry has every view of TEERegistry.json, member by member', () => {
    const ours = functionsOf(teeRegistryAbi)
    const real = sharedAbi('TEERegistry.json')
    expect(eventsOf(real).size).toBe(0)
    for (const [name, realFunction] of functionsOf(real)) {
      const ourFunction = ours.get(name)
      expect(ourFunction, name).toBeDefined()
      expect(toFunctionSelector(ourFunction!), name).toBe(toFunctionSelector(realFunction))
      expect(toFunctionSignature(ourFunction!), name).toBe(toFunctionSignature(realFunction))
      expect(ourFunction!.stateMutability, name).toBe(realFunction.stateMutability)
      expect(ourFunction!.inputs.map(wireShape), name).toEqual(realFunction.inputs.map(wireShape))
      expect(ourFunction!.outputs.map(wireShape), name).toEqual(realFunction.outputs.map(wireShape))
    }
    // The selectors of the protocol reference (llm.md §E1).
    expect(
      Object.fromEntries(
        [...functionsOf(real).keys()].map((name) => [name, toFunctionSelector(ours.get(name)!)]),
      ),
    ).toEqual({
      getActiveTEEs: '0x4b6014da',
      getEnabledTEEs: '0x63b86b89',
      getTEEsByType: '0xb82644b7',
      getTEE: '0x418b207d',
      isTEEActive: '0xa3bf31f1',
      isTEEEnabled: '0x927d3c95',
    })
    // The rest is registration and administration, which the network's ABI does not publish.
    expect([...ours.keys()].filter((name) => !functionsOf(real).has(name)).sort()).toEqual([
      'DEFAULT_HEARTBEAT_TIMEOUT',
      'heartbeat',
      'heartbeatTimeout',
      'initialize',
      'isPCRRevoked',
      'owner',
      'registerTEE',
      'setHeartbeatTimeout',
      'setOhttpConfig',
      'setPCRRevoked',
      'setTEEEnabled',
      'transferOwnership',
    ])
  })

  test('default: the 11-field TEEInfo extends the legacy 10-field one', () => {
    const outputOf = (abi: Abi) => functionsOf(abi).get('getTEE')!.outputs[0]!
    const ours = outputOf(teeRegistryAbi) as { components: readonly AbiParameter[] }
    const legacy = outputOf(legacyTeeRegistryAbi) as { components: readonly AbiParameter[] }
    expect(ours.components.length).toBe(11)
    expect(ours.components.slice(0, 10).map(wireShape)).toEqual(legacy.components.map(wireShape))
  })
})
