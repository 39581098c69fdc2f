import { inferenceHubAddress, inferencePrecompileAddress } from '@opengradient/core'
import {
  encodeFunctionData,
  encodeFunctionResult,
  getContract,
  type Hex,
  keccak256,
  parseEventLogs,
  toHex,
} from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  encodeStandInResult,
  resultAccountAddress,
  type StandInResult,
  standInNextResultIndexSlot,
} from '../devnet/standInResult.js'
import { inferencePrecompileAbi } from '../generated/IInferencePrecompile.js'
import { inferenceHubAbi, inferenceHubDeployedBytecode } from '../generated/InferenceHub.js'
import {
  inferencePrecompileStandInAbi,
  inferencePrecompileStandInDeployedBytecode,
} from '../generated/InferencePrecompileStandIn.js'
import { type Anvil, sameAddress, startAnvil } from '../test/anvil.js'
import { getInferenceHubContract } from './inferenceHub.js'
import { getInferencePrecompileContract } from './inferencePrecompile.js'

const modelId = 'QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ'

const modelInput = {
  numbers: [
    {
      name: 'num_input1',
      values: [
        { value: 1n, decimals: 0n },
        { value: 2n, decimals: 0n },
        { value: 3n, decimals: 0n },
      ],
      shape: [3],
    },
    { name: 'num_input2', values: [{ value: 10n, decimals: 0n }], shape: [1] },
  ],
  strings: [
    { name: 'str_input1', values: ['hello', 'ONNXY'] },
    { name: 'str_input2', values: [' world'] },
  ],
} as const

const modelOutput = {
  numbers: [
    {
      name: 'num_output1',
      values: [
        { value: 11n, decimals: 0n },
        { value: 12n, decimals: 0n },
        { value: 13n, decimals: 0n },
      ],
      shape: [3],
    },
    { name: 'Y', values: [{ value: 3774157376028597354888916016n, decimals: 31n }], shape: [1] },
  ],
  strings: [{ name: 'str_output1', values: ['hello', 'ONNXY', ' world'] }],
  jsons: [{ name: 'embedding', value: '[0.1, 0.2]' }],
  is_simulation_result: false,
} as const

const emptySimulationOutput = { numbers: [], strings: [], jsons: [], is_simulation_result: true }

let anvil: Anvil

beforeAll(async () => {
  anvil = await startAnvil()
  await anvil.testClient.setCode({
    address: inferencePrecompileAddress,
    bytecode: inferencePrecompileStandInDeployedBytecode,
  })
  await anvil.testClient.setCode({
    address: inferenceHubAddress,
    bytecode: inferenceHubDeployedBytecode,
  })
})

afterAll(async () => {
  await anvil?.stop()
})

function hub() {
  return getInferenceHubContract({
    client: { public: anvil.publicClient, wallet: anvil.walletClient(anvil.accounts[0]) },
  })
}

async function nextResultIndex(): Promise<bigint> {
  const word = await anvil.publicClient.getStorageAt({
    address: inferencePrecompileAddress,
    slot: toHex(standInNextResultIndexSlot, { size: 32 }),
  })
  return BigInt(word ?? 0)
}

async function prepare(index: bigint, result: StandInResult) {
  await anvil.testClient.setCode({
    address: resultAccountAddress(inferencePrecompileAddress, index),
    bytecode: encodeStandInResult(result),
  })
}

function modelRequestCalldata(model: string, input: typeof modelInput): Hex {
  return encodeFunctionData({
    abi: inferencePrecompileAbi,
    functionName: 'runModelInference',
    args: [{ mode: 0, modelCID: model, input }],
  })
}

describe('inference hub with the 0xF4 stand-in', () => {
  test('default: eth_call answers as the simulation pass', async () => {
    const { result } = await hub().simulate.run([modelId, 0, modelInput])
    expect(result).toEqual(emptySimulationOutput)
    expect(await nextResultIndex()).toBe(0n)
  })

  test('behavior: the stand-in computes result accounts like resultAccountAddress', async () => {
    const standIn = getContract({
      abi: inferencePrecompileStandInAbi,
      address: inferencePrecompileAddress,
      client: anvil.publicClient,
    })
    for (const index of [0n, 1n, 2n ** 64n]) {
      expect(await standIn.read.resultAccount([index])).toBe(
        resultAccountAddress(inferencePrecompileAddress, index),
      )
    }
  })

  test('behavior: a prepared result is consumed, logged by 0xF4 then by the hub, and returned', async () => {
    await prepare(0n, {
      requestHash: keccak256(modelRequestCalldata(modelId, modelInput)),
      ok: true,
      inferenceId: 'inference-0',
      payload: encodeFunctionResult({
        abi: inferencePrecompileAbi,
        functionName: 'runModelInference',
        result: modelOutput,
      }),
    })

    const hash = await hub().write.run([modelId, 0, modelInput])
    const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    expect(receipt.logs).toHaveLength(2)
    expect(sameAddress(receipt.logs[0]!.address, inferencePrecompileAddress)).toBe(true)
    expect(sameAddress(receipt.logs[1]!.address, inferenceHubAddress)).toBe(true)

    const [precompileEvent] = parseEventLogs({
      abi: inferencePrecompileAbi,
      logs: [receipt.logs[0]!],
    })
    expect(precompileEvent?.eventName).toBe('ModelInferenceEvent')
    expect(precompileEvent?.args).toEqual({
      inferenceID: 'inference-0',
      request: { mode: 0, modelCID: modelId, input: modelInput },
      response: modelOutput,
    })

    const [hubEvent] = parseEventLogs({ abi: inferenceHubAbi, logs: [receipt.logs[1]!] })
    expect(hubEvent?.eventName).toBe('InferenceResult')
    expect(hubEvent?.args).toEqual({ output: modelOutput })

    expect(await nextResultIndex()).toBe(1n)
    const precompile = getInferencePrecompileContract({ client: anvil.publicClient })
    const [event] = await precompile.getEvents.ModelInferenceEvent({
      fromBlock: receipt.blockNumber,
      toBlock: receipt.blockNumber,
    })
    expect(event?.args.inferenceID).toBe('inference-0')
  })

  test('behavior: the output is what eth_call returns once a result is prepared', async () => {
    await prepare(1n, {
      requestHash: keccak256(modelRequestCalldata(modelId, modelInput)),
      ok: true,
      inferenceId: 'inference-1',
      payload: encodeFunctionResult({
        abi: inferencePrecompileAbi,
        functionName: 'runModelInference',
        result: modelOutput,
      }),
    })
    const { result } = await hub().simulate.run([modelId, 0, modelInput])
    expect(result).toEqual(modelOutput)
    // eth_call never commits, so the result stays available.
    expect(await nextResultIndex()).toBe(1n)
  })

  test('behavior: a result prepared for another request is ignored', async () => {
    await prepare(1n, {
      requestHash: keccak256(modelRequestCalldata('another-model', modelInput)),
      ok: true,
      inferenceId: 'inference-1',
      payload: encodeFunctionResult({
        abi: inferencePrecompileAbi,
        functionName: 'runModelInference',
        result: modelOutput,
      }),
    })
    const hash = await hub().write.run([modelId, 0, modelInput], { gas: 1_000_000n })
    const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    expect(receipt.logs).toHaveLength(1)
    const [hubEvent] = parseEventLogs({
      abi: inferenceHubAbi,
      eventName: 'InferenceResult',
      logs: receipt.logs,
    })
    expect(hubEvent?.args.output).toEqual(emptySimulationOutput)
    expect(await nextResultIndex()).toBe(1n)
  })

  test('error: a failed result reverts the transaction with its reason', async () => {
    await prepare(1n, {
      requestHash: keccak256(modelRequestCalldata(modelId, modelInput)),
      ok: false,
      inferenceId: '',
      payload: toHex('Input not found: num_input3'),
    })
    await expect(hub().simulate.run([modelId, 0, modelInput])).rejects.toThrow(
      'Input not found: num_input3',
    )
    const hash = await hub().write.run([modelId, 0, modelInput], { gas: 1_000_000n })
    const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('reverted')
    expect(receipt.logs).toHaveLength(0)
    expect(await nextResultIndex()).toBe(1n)
  })

  test('behavior: a completion is forwarded unchanged and logged twice', async () => {
    const request = {
      mode: 0,
      modelCID: 'meta-llama/Meta-Llama-3-8B-Instruct',
      prompt: 'Say hi',
      max_tokens: 100,
      stop_sequence: ['\n'],
      temperature: 29,
    } as const
    expect((await hub().simulate.runLLMCompletion([request])).result).toEqual({ answer: '' })

    const calldata = encodeFunctionData({
      abi: inferencePrecompileAbi,
      functionName: 'runLLMCompletion',
      args: [request],
    })
    await prepare(1n, {
      requestHash: keccak256(calldata),
      ok: true,
      inferenceId: 'completion-1',
      payload: encodeFunctionResult({
        abi: inferencePrecompileAbi,
        functionName: 'runLLMCompletion',
        result: { answer: 'hi' },
      }),
    })
    const hash = await hub().write.runLLMCompletion([request])
    const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
    const [precompileEvent, hubEvent] = parseEventLogs({
      abi: [...inferencePrecompileAbi, ...inferenceHubAbi],
      logs: receipt.logs,
    })
    expect(precompileEvent?.eventName).toBe('LLMCompletionEvent')
    expect(precompileEvent?.args).toEqual({
      inferenceID: 'completion-1',
      request,
      response: { answer: 'hi' },
    })
    expect(hubEvent?.eventName).toBe('LLMCompletionResult')
    expect(hubEvent?.args).toEqual({ response: { answer: 'hi' } })
    expect(sameAddress(receipt.logs[1]!.address, inferenceHubAddress)).toBe(true)
    expect(await nextResultIndex()).toBe(2n)
  })

  test('behavior: a chat request is forwarded unchanged and logged twice', async () => {
    const request = {
      mode: 1,
      modelCID: 'meta-llama/Llama-3.1-70B-Instruct',
      messages: [{ role: 'user', content: 'Weather?', name: '', tool_call_id: '', tool_calls: [] }],
      tools: [{ description: 'Look up', name: 'weather', parameters: '{"type": "object"}' }],
      tool_choice: 'auto',
      max_tokens: 50,
      stop_sequence: [],
      temperature: 0,
    } as const
    const response = {
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: '',
        name: '',
        tool_call_id: '',
        tool_calls: [{ id: 'call-1', name: 'weather', arguments: '{"city": "Paris"}' }],
      },
    } as const
    expect((await hub().simulate.runLLMChat([request])).result).toEqual({
      finish_reason: '',
      message: { role: '', content: '', name: '', tool_call_id: '', tool_calls: [] },
    })

    const calldata = encodeFunctionData({
      abi: inferencePrecompileAbi,
      functionName: 'runLLMChat',
      args: [request],
    })
    await prepare(2n, {
      requestHash: keccak256(calldata),
      ok: true,
      inferenceId: 'chat-2',
      payload: encodeFunctionResult({
        abi: inferencePrecompileAbi,
        functionName: 'runLLMChat',
        result: response,
      }),
    })
    const hash = await hub().write.runLLMChat([request])
    const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
    const [precompileEvent, hubEvent] = parseEventLogs({
      abi: [...inferencePrecompileAbi, ...inferenceHubAbi],
      logs: receipt.logs,
    })
    expect(precompileEvent?.eventName).toBe('LLMChat')
    expect(precompileEvent?.args).toEqual({ inferenceID: 'chat-2', request, response })
    expect(hubEvent?.eventName).toBe('LLMChatResult')
    expect(hubEvent?.args).toEqual({ response })
    expect(await nextResultIndex()).toBe(3n)
  })

  test('behavior: the request hash covers every argument, the mode included', async () => {
    await prepare(3n, {
      requestHash: keccak256(modelRequestCalldata(modelId, modelInput)),
      ok: true,
      inferenceId: 'inference-3',
      payload: encodeFunctionResult({
        abi: inferencePrecompileAbi,
        functionName: 'runModelInference',
        result: modelOutput,
      }),
    })
    const hash = await hub().write.run([modelId, 2, modelInput], { gas: 1_000_000n })
    const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.logs).toHaveLength(1)
    expect(await nextResultIndex()).toBe(3n)
  })

  test('behavior: a 300-number output stays far below the block gas limit', async () => {
    const values = Array.from({ length: 300 }, (_, i) => ({
      value: BigInt(i) * 1_000_000_007n - 12_345n,
      decimals: 28n,
    }))
    const output = {
      numbers: [{ name: 'y', values, shape: [300] }],
      strings: [],
      jsons: [],
      is_simulation_result: false,
    }
    await prepare(3n, {
      requestHash: keccak256(
        encodeFunctionData({
          abi: inferencePrecompileAbi,
          functionName: 'runModelInference',
          args: [{ mode: 2, modelCID: modelId, input: modelInput }],
        }),
      ),
      ok: true,
      inferenceId: 'large-3',
      payload: encodeFunctionResult({
        abi: inferencePrecompileAbi,
        functionName: 'runModelInference',
        result: output,
      }),
    })
    const hash = await hub().write.run([modelId, 2, modelInput])
    const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.logs).toHaveLength(2)
    const [hubEvent] = parseEventLogs({
      abi: inferenceHubAbi,
      eventName: 'InferenceResult',
      logs: [receipt.logs[1]!],
    })
    expect(hubEvent?.args.output).toEqual(output)
    // About 0.8M gas measured (stand-in and hub each decode and re-encode the output).
    expect(receipt.gasUsed).toBeLessThan(1_500_000n)
    expect(await nextResultIndex()).toBe(4n)
  })

  test('error: unknown selectors revert', async () => {
    await expect(
      anvil.publicClient.call({ to: inferencePrecompileAddress, data: '0xdeadbeef' }),
    ).rejects.toThrow()
  })
})
