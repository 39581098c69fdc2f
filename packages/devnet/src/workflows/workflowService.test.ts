import {
  priceHistoryInferenceAbi,
  priceHistoryInferenceBytecode,
  priceHistoryPrecompileAbi,
  taskSchedulerAbi,
} from '@opengradient/contracts'
import {
  type Address,
  CandleOrder,
  CandleType,
  type Hex,
  priceHistoryPrecompileAddress,
  taskSchedulerAddress,
} from '@opengradient/core'
import {
  createPublicClient,
  createWalletClient,
  decodeEventLog,
  decodeFunctionResult,
  encodeFunctionData,
  http,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Devnet, startDevnet } from '../startDevnet.js'
import type { SchedulerPass } from './executor.js'
import { referenceWorkflows, workflowModels, workflowStorage } from './referenceWorkflows.js'
import { createWorkflowService } from './workflowService.js'

const forecastModel = workflowModels[0]!.cid
const volatilityModel = 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N'
const hour = 3600

let devnet: Devnet

beforeAll(async () => {
  devnet = await startDevnet({
    temporary: true,
    port: 0,
    // A fast background executor, so the test of background runs stays short; the reference
    // workflows installed at start, as `og devnet --reference-workflows` does.
    services: [createWorkflowService({ executorIntervalMs: 50, referenceWorkflows: true })],
  })
})

afterAll(async () => {
  await devnet?.stop()
})

async function admin<T>(method: string, ...params: unknown[]): Promise<T> {
  const response = await fetch(devnet.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await response.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(body.error.message)
  return body.result as T
}

function clients(index: number) {
  const account = privateKeyToAccount(devnet.accounts[index]!.privateKey)
  const publicClient = createPublicClient({
    chain: devnet.chain,
    transport: http(),
    pollingInterval: 20,
  })
  const walletClient = createWalletClient({ chain: devnet.chain, transport: http(), account })
  return { account, publicClient, walletClient }
}

async function deployWorkflow(
  index: number,
  parameters: {
    modelId: string
    inputName: string
    base: string
    totalCandles: number
    order?: CandleOrder
    candleTypes?: readonly CandleType[]
  },
): Promise<Address> {
  const { publicClient, walletClient } = clients(index)
  const hash = await walletClient.deployContract({
    abi: priceHistoryInferenceAbi,
    bytecode: priceHistoryInferenceBytecode,
    args: [
      parameters.modelId,
      parameters.inputName,
      {
        base: parameters.base,
        quote: 'USDT',
        total_candles: parameters.totalCandles,
        candle_duration_in_mins: 60,
        order: parameters.order ?? CandleOrder.ASCENDING,
        candle_types: [
          ...(parameters.candleTypes ?? [
            CandleType.OPEN,
            CandleType.HIGH,
            CandleType.LOW,
            CandleType.CLOSE,
          ]),
        ],
      },
    ],
  })
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  return receipt.contractAddress!
}

async function run(index: number, address: Address) {
  const { publicClient, walletClient } = clients(index)
  const hash = await walletClient.writeContract({
    address,
    abi: priceHistoryInferenceAbi,
    functionName: 'run',
    gas: 3_000_000n,
  })
  return publicClient.waitForTransactionReceipt({ hash })
}

function resultOf(receipt: Awaited<ReturnType<typeof run>>, address: Address) {
  const log = receipt.logs.find((entry) => entry.address.toLowerCase() === address.toLowerCase())
  if (!log) throw new Error('no InferenceResultEmitted')
  const event = decodeEventLog({ abi: priceHistoryInferenceAbi, ...log })
  if (event.eventName !== 'InferenceResultEmitted') throw new Error(event.eventName)
  return event.args.result
}

function sameAddress(left: string, right: string): boolean {
  return left.toLowerCase() === right.toLowerCase()
}

function toNumber(value: { value: bigint; decimals: bigint }): number {
  return Number(value.value) / 10 ** Number(value.decimals)
}

describe('price-history precompile', () => {
  test('default: runs the model on the query, in row order, and records the result', async () => {
    await admin('og_pushCandles', {
      base: 'TST',
      quote: 'USDT',
      replace: true,
      candles: [
        { open: 1, high: 1, low: 1, close: 100 },
        { open: 1, high: 1, low: 1, close: 110 },
        { open: 1, high: 1, low: 1, close: 121 },
      ],
    })
    const ascending = await deployWorkflow(1, {
      modelId: forecastModel,
      inputName: 'candles',
      base: 'TST',
      totalCandles: 3,
    })
    const descending = await deployWorkflow(1, {
      modelId: forecastModel,
      inputName: 'candles',
      base: 'TST',
      totalCandles: 3,
      order: CandleOrder.DESCENDING,
    })
    const up = await run(1, ascending)
    const down = await run(1, descending)
    expect(up.status).toBe('success')
    const upOutput = resultOf(up, ascending)
    expect(upOutput.is_simulation_result).toBe(false)
    expect(upOutput.numbers[0]?.name).toBe('regression_output')
    expect(toNumber(upOutput.numbers[0]!.values[0]!)).toBeCloseTo(Math.log(1.1), 6)
    expect(toNumber(resultOf(down, descending).numbers[0]!.values[0]!)).toBeCloseTo(
      -Math.log(1.1),
      6,
    )

    // The precompile's event comes first, then the workflow's; the result endpoint knows it.
    expect(up.logs.map((log) => log.address.toLowerCase())).toEqual([
      priceHistoryPrecompileAddress.toLowerCase(),
      ascending.toLowerCase(),
    ])
    const event = decodeEventLog({ abi: priceHistoryPrecompileAbi, ...up.logs[0]! })
    expect(event).toMatchObject({
      eventName: 'HistoricalInferenceEvent',
      args: { modelID: forecastModel, base: 'TST', quote: 'USDT' },
    })
    const inferenceId = (event.args as { inferenceID: string }).inferenceID
    const answer = (await fetch(
      `${devnet.rpcUrl}/artela-network/artela-rollkit/inference/tx/${inferenceId}`,
    ).then((response) => response.json())) as { inference_results: string[] }
    expect(answer.inference_results).toHaveLength(1)
  })

  test('behavior: queryHistoricalCandles answers the flat row-major values', async () => {
    await admin('og_pushCandles', {
      base: 'QRY',
      quote: 'USD',
      replace: true,
      candles: [
        { open: '1.5', high: 2, low: 1, close: '1.75', volume: 10 },
        { open: '1.75', high: 3, low: '1.25', close: 2, volume: '0.5' },
      ],
    })
    const { publicClient, walletClient } = clients(1)
    const hash = await walletClient.sendTransaction({
      to: priceHistoryPrecompileAddress,
      data: encodeFunctionData({
        abi: priceHistoryPrecompileAbi,
        functionName: 'queryHistoricalCandles',
        args: [
          {
            base: 'QRY',
            quote: 'USDT',
            total_candles: 2,
            candle_duration_in_mins: 60,
            order: CandleOrder.DESCENDING,
            candle_types: [CandleType.CLOSE, CandleType.VOLUME],
          },
        ],
      }),
      gas: 1_000_000n,
    })
    await publicClient.waitForTransactionReceipt({ hash })
    const trace = await publicClient.request({
      method: 'debug_traceTransaction' as never,
      params: [hash, { tracer: 'callTracer' }] as never,
    })
    const values = decodeFunctionResult({
      abi: priceHistoryPrecompileAbi,
      functionName: 'queryHistoricalCandles',
      data: (trace as { output: Hex }).output,
    })
    expect(values).toEqual([
      { value: 2n, decimals: 0n },
      { value: 5n, decimals: 1n },
      { value: 175n, decimals: 2n },
      { value: 10n, decimals: 0n },
    ])
  })

  test('error: a failing model reverts the run with the reason', async () => {
    const address = await deployWorkflow(1, {
      modelId: 'QmNoSuchModel',
      inputName: 'candles',
      base: 'ETH',
      totalCandles: 3,
    })
    const receipt = await run(1, address)
    expect(receipt.status).toBe('reverted')
    const trace = (await clients(1).publicClient.request({
      method: 'debug_traceTransaction' as never,
      params: [receipt.transactionHash, { tracer: 'callTracer' }] as never,
    })) as { calls?: { revertReason?: string }[] }
    expect(trace.calls?.[0]?.revertReason).toBe('Model not found: QmNoSuchModel')
  })
})

describe('admin methods', () => {
  test('default: the clock maps block time onto the data', async () => {
    const feedTimestamp = Date.UTC(2024, 10, 15, 12, 30) / 1000
    const set = await admin<{
      offsetSeconds: number
      blockTimestamp: number
      feedTimestamp: number
    }>('og_setPriceFeedClock', { feedTimestamp })
    expect(set.feedTimestamp).toBe(feedTimestamp)
    expect(set.blockTimestamp - set.offsetSeconds).toBe(feedTimestamp)
    const got = await admin<{ feedTimestamp: number; source: string; candles: unknown[] }>(
      'og_getCandles',
      { base: 'ETH', quote: 'USDT', totalCandles: 2, order: 'descending' },
    )
    expect(got.source).toBe('csv')
    expect(got.candles).toMatchObject([
      { timestamp: Date.UTC(2024, 10, 15, 11) / 1000 },
      { timestamp: Date.UTC(2024, 10, 15, 10) / 1000 },
    ])
  })

  test('behavior: other methods and mixed batches reach the chain', async () => {
    const response = await fetch(devnet.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
        { jsonrpc: '2.0', id: 2, method: 'og_getPriceFeedClock', params: [] },
      ]),
    })
    const answers = (await response.json()) as { id: number; result?: unknown }[]
    expect(answers[0]).toMatchObject({ id: 1, result: '0x29f8' })
    expect(await admin<string>('eth_chainId')).toBe('0x29f8')
  })

  test('error: bad parameters are JSON-RPC errors', async () => {
    await expect(admin('og_pushCandles', { base: 'ETH' })).rejects.toThrowError(
      '"quote" must be a non-empty string.',
    )
    await expect(admin('og_setPriceFeedClock', {})).rejects.toThrowError(
      'Pass either "offsetSeconds" or "feedTimestamp".',
    )
    await expect(admin('og_runScheduler', { advanceSeconds: -1 })).rejects.toThrowError(
      /cannot be negative/,
    )
  })
})

describe('scheduler executor', () => {
  async function register(index: number, address: Address, endTime: bigint, frequency: bigint) {
    const { publicClient, walletClient } = clients(index)
    const hash = await walletClient.writeContract({
      address: taskSchedulerAddress,
      abi: taskSchedulerAbi,
      functionName: 'registerTask',
      args: [address, endTime, frequency],
    })
    await publicClient.waitForTransactionReceipt({ hash })
  }

  async function count(address: Address): Promise<number> {
    const results = await clients(2).publicClient.readContract({
      address,
      abi: priceHistoryInferenceAbi,
      functionName: 'getLastInferenceResults',
      args: [1000n],
    })
    return results.length
  }

  test('default: runs a due task once per pass until its end time', async () => {
    const address = await deployWorkflow(2, {
      modelId: volatilityModel,
      inputName: 'open_high_low_close',
      base: 'ETH',
      totalCandles: 10,
    })
    const { timestamp } = await admin<SchedulerPass>('og_runScheduler')
    await register(2, address, BigInt(timestamp + 10 * hour), BigInt(2 * hour))

    const notYet = await admin<SchedulerPass>('og_runScheduler', { advanceSeconds: hour })
    expect(notYet.runs.filter((entry) => sameAddress(entry.contractAddress, address))).toEqual([])
    const due = await admin<SchedulerPass>('og_runScheduler', { advanceSeconds: hour })
    expect(due.runs.filter((entry) => sameAddress(entry.contractAddress, address))).toMatchObject([
      { status: 'success', user: clients(2).account.address },
    ])
    expect(await count(address)).toBe(1)
    // One run per pass, however late.
    const late = await admin<SchedulerPass>('og_runScheduler', { advanceSeconds: 5 * hour })
    expect(late.runs.filter((entry) => sameAddress(entry.contractAddress, address))).toHaveLength(1)
    // Past the end time: never again.
    const ended = await admin<SchedulerPass>('og_runScheduler', { advanceSeconds: 4 * hour })
    expect(ended.runs.filter((entry) => sameAddress(entry.contractAddress, address))).toEqual([])
    expect(await count(address)).toBe(2)
  })

  test('behavior: runs in the background and stops with the task', async () => {
    const address = await deployWorkflow(3, {
      modelId: volatilityModel,
      inputName: 'open_high_low_close',
      base: 'BTC',
      totalCandles: 10,
    })
    const { timestamp } = await admin<SchedulerPass>('og_runScheduler')
    await register(3, address, BigInt(timestamp + 100 * hour), 60n)
    const { publicClient, walletClient } = clients(3)
    await publicClient.request({ method: 'evm_increaseTime' as never, params: [61] as never })
    await expect.poll(() => count(address), { timeout: 10_000, interval: 50 }).toBe(1)
    // The executor records a run once its receipt is in, which may be just after the chain
    // shows the result.
    await expect
      .poll(
        async () =>
          (await admin<{ contractAddress: Address; status: string }[]>('og_schedulerRuns')).filter(
            (entry) => sameAddress(entry.contractAddress, address),
          ),
        { timeout: 10_000, interval: 50 },
      )
      .toMatchObject([{ status: 'success' }])

    const hash = await walletClient.writeContract({
      address: taskSchedulerAddress,
      abi: taskSchedulerAbi,
      functionName: 'stopTask',
      args: [address],
    })
    await publicClient.waitForTransactionReceipt({ hash })
    const after = await admin<SchedulerPass>('og_runScheduler', { advanceSeconds: hour })
    expect(after.runs.filter((entry) => sameAddress(entry.contractAddress, address))).toEqual([])
  })
})

describe('reference workflows', () => {
  test('behavior: the referenceWorkflows option installs and runs them at start', async () => {
    const { publicClient } = clients(4)
    for (const workflow of referenceWorkflows) {
      const results = await publicClient.readContract({
        address: workflow.address,
        abi: priceHistoryInferenceAbi,
        functionName: 'getLastInferenceResults',
        args: [10n],
      })
      expect(results.length, workflow.name).toBeGreaterThan(0)
    }
  })

  test('default: installed at the Alpha addresses, run, scheduled and readable', async () => {
    const installed = await admin<
      { name: string; address: Address; run?: { status: string }; schedule?: unknown }[]
    >('og_installReferenceWorkflows')
    expect(installed.map((entry) => [entry.name, entry.address, entry.run?.status])).toEqual(
      referenceWorkflows.map((workflow) => [workflow.name, workflow.address, 'success']),
    )
    const { publicClient } = clients(4)
    for (const workflow of referenceWorkflows) {
      const read = <name extends 'modelId' | 'inputName' | 'inputQuery'>(functionName: name) =>
        publicClient.readContract({
          address: workflow.address,
          abi: priceHistoryInferenceAbi,
          functionName,
        })
      expect(await read('modelId')).toBe(workflow.modelId)
      expect(await read('inputName')).toBe(workflow.inputName)
      expect(await read('inputQuery')).toEqual([
        workflow.query.base,
        workflow.query.quote,
        workflow.query.totalCandles,
        workflow.query.candleDurationInMinutes,
        workflow.query.order,
      ])
      const result = await publicClient.readContract({
        address: workflow.address,
        abi: priceHistoryInferenceAbi,
        functionName: 'getInferenceResult',
      })
      expect(result.numbers.map((tensor) => [tensor.name, tensor.values.length])).toEqual([
        [workflow.outputName, 1],
      ])
    }
    const tasks = await publicClient.readContract({
      address: taskSchedulerAddress,
      abi: taskSchedulerAbi,
      functionName: 'getAllTasks',
    })
    for (const workflow of referenceWorkflows) {
      expect(
        tasks.find((task) => sameAddress(task.contractAddress, workflow.address)),
      ).toMatchObject({
        frequency: 3600n,
      })
    }
  })

  test('behavior: the installed storage is what the constructor writes', async () => {
    const { publicClient } = clients(4)
    for (const workflow of referenceWorkflows.slice(0, 2)) {
      const deployed = await deployWorkflow(4, {
        modelId: workflow.modelId,
        inputName: workflow.inputName,
        base: workflow.query.base,
        totalCandles: workflow.query.totalCandles,
        candleTypes: workflow.query.candleTypes,
      })
      for (const [slot, value] of workflowStorage(workflow)) {
        expect(await publicClient.getStorageAt({ address: deployed, slot }), slot).toBe(value)
      }
    }
  })
})
