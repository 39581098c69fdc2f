import {
  inferenceHubAddress,
  inferencePrecompileAddress,
  priceHistoryPrecompileAddress,
} from '@opengradient/core'
import {
  type ContractFunctionReturnType,
  encodeFunctionData,
  encodeFunctionResult,
  getContract,
  type Hash,
  type Hex,
  keccak256,
  parseEventLogs,
  type TransactionReceipt,
  toHex,
} from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  consumedResultsSlot,
  encodeStandInResult,
  resultAccountAddress,
  type StandInResult,
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

/** `modelOutput` with its JSON tensor replaced, so each prepared result is recognisable. */
function outputLabelled(label: string) {
  return { ...modelOutput, jsons: [{ name: 'embedding', value: label }] }
}

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

function standIn() {
  return getContract({
    abi: inferencePrecompileStandInAbi,
    address: inferencePrecompileAddress,
    client: anvil.publicClient,
  })
}

/** The calldata the hub sends to 0xF4 for `hub.run(model, mode, input)`. */
function modelRequestCalldata(model: string, mode = 0, input = modelInput): Hex {
  return encodeFunctionData({
    abi: inferencePrecompileAbi,
    functionName: 'runModelInference',
    args: [{ mode, modelCID: model, input }],
  })
}

/** How many results of the request `calldata` the stand-in consumed, read from storage. */
async function consumed(calldata: Hex): Promise<bigint> {
  const word = await anvil.publicClient.getStorageAt({
    address: inferencePrecompileAddress,
    slot: consumedResultsSlot(keccak256(calldata)),
  })
  return BigInt(word ?? 0)
}

/** A result without its occurrence, which `prepare` adds. */
type Result = Omit<StandInResult, 'occurrence'>

async function prepare(calldata: Hex, occurrence: bigint, result: Result) {
  await anvil.testClient.setCode({
    address: resultAccountAddress(inferencePrecompileAddress, keccak256(calldata), occurrence),
    bytecode: encodeStandInResult({ ...result, occurrence }),
  })
}

type ModelOutput = ContractFunctionReturnType<
  typeof inferencePrecompileAbi,
  'nonpayable',
  'runModelInference'
>

function modelResult(inferenceId: string, output: ModelOutput = modelOutput): Result {
  return {
    ok: true,
    inferenceId,
    payload: encodeFunctionResult({
      abi: inferencePrecompileAbi,
      functionName: 'runModelInference',
      result: output,
    }),
  }
}

function mined(hash: Hash): Promise<TransactionReceipt> {
  return anvil.publicClient.waitForTransactionReceipt({ hash })
}

/** The inference id logged by 0xF4 and the output logged by the hub in a `run` receipt. */
function inferenceOf(receipt: TransactionReceipt) {
  const [precompileEvent] = parseEventLogs({
    abi: inferencePrecompileAbi,
    eventName: 'ModelInferenceEvent',
    logs: receipt.logs,
  })
  const [hubEvent] = parseEventLogs({
    abi: inferenceHubAbi,
    eventName: 'InferenceResult',
    logs: receipt.logs,
  })
  return { inferenceId: precompileEvent?.args.inferenceID, output: hubEvent?.args.output }
}

/** Sends transactions of accounts[0] in this order and mines them together in one block. */
async function inOneBlock(sends: ((nonce: number) => Promise<Hash>)[]) {
  const hashes: Hash[] = []
  await anvil.testClient.setAutomine(false)
  try {
    const nonce = await anvil.publicClient.getTransactionCount({
      address: anvil.accounts[0].address,
    })
    for (const [i, send] of sends.entries()) hashes.push(await send(nonce + i))
    await anvil.testClient.mine({ blocks: 1 })
  } finally {
    await anvil.testClient.setAutomine(true)
  }
  const receipts = await Promise.all(hashes.map(mined))
  expect(new Set(receipts.map((receipt) => receipt.blockNumber)).size).toBe(1)
  return receipts
}

describe('inference hub with the 0xF4 stand-in', () => {
  const requestA = modelRequestCalldata(modelId)

  test('default: eth_call answers as the simulation pass', async () => {
    const { result } = await hub().simulate.run([modelId, 0, modelInput])
    expect(result).toEqual(emptySimulationOutput)
    expect(await consumed(requestA)).toBe(0n)
  })

  test('behavior: the stand-in computes result accounts like resultAccountAddress', async () => {
    for (const requestHash of [keccak256(requestA), keccak256('0x'), toHex(1n, { size: 32 })]) {
      for (const occurrence of [0n, 1n, 2n ** 64n]) {
        expect(await standIn().read.resultAccount([requestHash, occurrence])).toBe(
          resultAccountAddress(inferencePrecompileAddress, requestHash, occurrence),
        )
      }
    }
  })

  test('behavior: a prepared result is consumed, logged by 0xF4 then by the hub, and returned', async () => {
    await prepare(requestA, 0n, modelResult('inference-0'))

    const hash = await hub().write.run([modelId, 0, modelInput])
    const receipt = await mined(hash)
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

    expect(await consumed(requestA)).toBe(1n)
    // The public getter and the storage slot the node reads agree.
    expect(await standIn().read.consumedResults([keccak256(requestA)])).toBe(1n)
    const precompile = getInferencePrecompileContract({ client: anvil.publicClient })
    const [event] = await precompile.getEvents.ModelInferenceEvent({
      fromBlock: receipt.blockNumber,
      toBlock: receipt.blockNumber,
    })
    expect(event?.args.inferenceID).toBe('inference-0')
  })

  test('behavior: the same request takes occurrence 1 next, which eth_call shows without consuming', async () => {
    const second = outputLabelled('second')
    await prepare(requestA, 1n, modelResult('inference-1', second))
    const { result } = await hub().simulate.run([modelId, 0, modelInput])
    expect(result).toEqual(second)
    // eth_call never commits, so the result stays available.
    expect(await consumed(requestA)).toBe(1n)

    const receipt = await mined(await hub().write.run([modelId, 0, modelInput]))
    expect(inferenceOf(receipt)).toEqual({ inferenceId: 'inference-1', output: second })
    expect(await consumed(requestA)).toBe(2n)

    // Occurrences 0 and 1 still hold code, but both are used up.
    const { result: after } = await hub().simulate.run([modelId, 0, modelInput])
    expect(after).toEqual(emptySimulationOutput)
  })

  test('behavior: the same request twice in one block takes occurrences 0 then 1', async () => {
    const requestZk = modelRequestCalldata(modelId, 1)
    await prepare(requestZk, 0n, modelResult('zk-0', outputLabelled('zk-0')))
    await prepare(requestZk, 1n, modelResult('zk-1', outputLabelled('zk-1')))

    const receipts = await inOneBlock([
      (nonce) => hub().write.run([modelId, 1, modelInput], { gas: 1_000_000n, nonce }),
      (nonce) => hub().write.run([modelId, 1, modelInput], { gas: 1_000_000n, nonce }),
    ])
    expect(receipts.map(inferenceOf)).toEqual([
      { inferenceId: 'zk-0', output: outputLabelled('zk-0') },
      { inferenceId: 'zk-1', output: outputLabelled('zk-1') },
    ])
    expect(await consumed(requestZk)).toBe(2n)
    expect(await consumed(requestA)).toBe(2n)
  })

  test('behavior: results of two requests do not interfere, whatever order their transactions run in', async () => {
    const requestB = modelRequestCalldata('model-b')
    const requestC = modelRequestCalldata('model-c')
    // Both are occurrence 0 of their own request: prepared B first, executed C first.
    await prepare(requestB, 0n, modelResult('b-0', outputLabelled('b')))
    await prepare(requestC, 0n, modelResult('c-0', outputLabelled('c')))

    const [receiptC, receiptB] = await inOneBlock([
      (nonce) => hub().write.run(['model-c', 0, modelInput], { gas: 1_000_000n, nonce }),
      (nonce) => hub().write.run(['model-b', 0, modelInput], { gas: 1_000_000n, nonce }),
    ])
    expect(inferenceOf(receiptC!)).toEqual({ inferenceId: 'c-0', output: outputLabelled('c') })
    expect(inferenceOf(receiptB!)).toEqual({ inferenceId: 'b-0', output: outputLabelled('b') })
    expect(await consumed(requestB)).toBe(1n)
    expect(await consumed(requestC)).toBe(1n)
    expect(await consumed(requestA)).toBe(2n)
  })

  test('behavior: a result placed for another request or another stand-in is not taken', async () => {
    const requestOther = modelRequestCalldata('another-model')
    await prepare(requestOther, 0n, modelResult('other-0'))
    // Request A's next occurrence, but addressed to the 0xF5 stand-in.
    await anvil.testClient.setCode({
      address: resultAccountAddress(priceHistoryPrecompileAddress, keccak256(requestA), 2n),
      bytecode: encodeStandInResult({ ...modelResult('wrong-stand-in'), occurrence: 2n }),
    })

    const hash = await hub().write.run([modelId, 0, modelInput], { gas: 1_000_000n })
    const receipt = await mined(hash)
    expect(receipt.status).toBe('success')
    expect(receipt.logs).toHaveLength(1)
    const [hubEvent] = parseEventLogs({
      abi: inferenceHubAbi,
      eventName: 'InferenceResult',
      logs: receipt.logs,
    })
    expect(hubEvent?.args.output).toEqual(emptySimulationOutput)
    expect(await consumed(requestA)).toBe(2n)
    expect(await consumed(requestOther)).toBe(0n)
    // The other request's result is intact and answers that request.
    const { result } = await hub().simulate.run(['another-model', 0, modelInput])
    expect(result).toEqual(modelOutput)
  })

  test('behavior: a result kept from a window earlier is not taken for the occurrence sharing its account', async () => {
    const request = modelRequestCalldata('window-model')
    // Occurrence 256 lives where occurrence 0 does; the count is 0, so it must not be taken.
    await anvil.testClient.setCode({
      address: resultAccountAddress(inferencePrecompileAddress, keccak256(request), 0n),
      bytecode: encodeStandInResult({ ...modelResult('window-256'), occurrence: 256n }),
    })
    const { result } = await hub().simulate.run(['window-model', 0, modelInput])
    expect(result).toEqual(emptySimulationOutput)
    await prepare(request, 0n, modelResult('window-0'))
    expect((await hub().simulate.run(['window-model', 0, modelInput])).result).toEqual(modelOutput)
  })

  test('error: a failed result reverts with its reason and leaves the count, so the occurrence is retried', async () => {
    await prepare(requestA, 2n, {
      ok: false,
      inferenceId: '',
      payload: toHex('Input not found: num_input3'),
    })
    await expect(hub().simulate.run([modelId, 0, modelInput])).rejects.toThrow(
      'Input not found: num_input3',
    )
    const hash = await hub().write.run([modelId, 0, modelInput], { gas: 1_000_000n })
    const receipt = await mined(hash)
    expect(receipt.status).toBe('reverted')
    expect(receipt.logs).toHaveLength(0)
    expect(await consumed(requestA)).toBe(2n)

    // The next transaction with this request reads occurrence 2 again.
    await prepare(requestA, 2n, modelResult('inference-2'))
    const retry = await mined(await hub().write.run([modelId, 0, modelInput]))
    expect(inferenceOf(retry)).toEqual({ inferenceId: 'inference-2', output: modelOutput })
    expect(await consumed(requestA)).toBe(3n)
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
    await prepare(calldata, 0n, {
      ok: true,
      inferenceId: 'completion-0',
      payload: encodeFunctionResult({
        abi: inferencePrecompileAbi,
        functionName: 'runLLMCompletion',
        result: { answer: 'hi' },
      }),
    })
    const hash = await hub().write.runLLMCompletion([request])
    const receipt = await mined(hash)
    const [precompileEvent, hubEvent] = parseEventLogs({
      abi: [...inferencePrecompileAbi, ...inferenceHubAbi],
      logs: receipt.logs,
    })
    expect(precompileEvent?.eventName).toBe('LLMCompletionEvent')
    expect(precompileEvent?.args).toEqual({
      inferenceID: 'completion-0',
      request,
      response: { answer: 'hi' },
    })
    expect(hubEvent?.eventName).toBe('LLMCompletionResult')
    expect(hubEvent?.args).toEqual({ response: { answer: 'hi' } })
    expect(sameAddress(receipt.logs[1]!.address, inferenceHubAddress)).toBe(true)
    expect(await consumed(calldata)).toBe(1n)
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
    await prepare(calldata, 0n, {
      ok: true,
      inferenceId: 'chat-0',
      payload: encodeFunctionResult({
        abi: inferencePrecompileAbi,
        functionName: 'runLLMChat',
        result: response,
      }),
    })
    const hash = await hub().write.runLLMChat([request])
    const receipt = await mined(hash)
    const [precompileEvent, hubEvent] = parseEventLogs({
      abi: [...inferencePrecompileAbi, ...inferenceHubAbi],
      logs: receipt.logs,
    })
    expect(precompileEvent?.eventName).toBe('LLMChat')
    expect(precompileEvent?.args).toEqual({ inferenceID: 'chat-0', request, response })
    expect(hubEvent?.eventName).toBe('LLMChatResult')
    expect(hubEvent?.args).toEqual({ response })
    expect(await consumed(calldata)).toBe(1n)
  })

  test('behavior: the request hash covers every argument, the mode included', async () => {
    // Ready for request A (mode 0); a mode-2 call with otherwise equal arguments must not take it.
    await prepare(requestA, 3n, modelResult('inference-3'))
    const hash = await hub().write.run([modelId, 2, modelInput], { gas: 1_000_000n })
    const receipt = await mined(hash)
    expect(receipt.logs).toHaveLength(1)
    expect(inferenceOf(receipt).output).toEqual(emptySimulationOutput)
    expect(await consumed(requestA)).toBe(3n)
    expect(await consumed(modelRequestCalldata(modelId, 2))).toBe(0n)
    expect((await hub().simulate.run([modelId, 0, modelInput])).result).toEqual(modelOutput)
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
    const requestTee = modelRequestCalldata(modelId, 2)
    await prepare(requestTee, 0n, {
      ok: true,
      inferenceId: 'large-0',
      payload: encodeFunctionResult({
        abi: inferencePrecompileAbi,
        functionName: 'runModelInference',
        result: output,
      }),
    })
    const hash = await hub().write.run([modelId, 2, modelInput])
    const receipt = await mined(hash)
    expect(receipt.logs).toHaveLength(2)
    const [hubEvent] = parseEventLogs({
      abi: inferenceHubAbi,
      eventName: 'InferenceResult',
      logs: [receipt.logs[1]!],
    })
    expect(hubEvent?.args.output).toEqual(output)
    // About 0.8M gas measured (stand-in and hub each decode and re-encode the output).
    expect(receipt.gasUsed).toBeLessThan(1_500_000n)
    expect(await consumed(requestTee)).toBe(1n)
  })

  test('error: unknown selectors revert', async () => {
    await expect(
      anvil.publicClient.call({ to: inferencePrecompileAddress, data: '0xdeadbeef' }),
    ).rejects.toThrow()
  })
})
