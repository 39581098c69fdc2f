import { CandleOrder, CandleType, priceHistoryPrecompileAddress } from '@opengradient/core'
import {
  type Address,
  encodeFunctionData,
  encodeFunctionResult,
  type Hex,
  keccak256,
  parseEventLogs,
  toHex,
} from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  consumedResultsSlot,
  encodeStandInResult,
  resultAccountAddress,
} from '../devnet/standInResult.js'
import { priceHistoryPrecompileAbi } from '../generated/IPriceHistoryPrecompile.js'
import {
  priceHistoryInferenceAbi,
  priceHistoryInferenceBytecode,
} from '../generated/PriceHistoryInference.js'
import { priceHistoryPrecompileStandInDeployedBytecode } from '../generated/PriceHistoryPrecompileStandIn.js'
import { type Anvil, sameAddress, startAnvil } from '../test/anvil.js'
import { getPriceHistoryPrecompileContract } from './priceHistoryPrecompile.js'
import { getWorkflowContract } from './workflow.js'

const modelId = 'hJD2Ja3akZFt1A2LT-D_1oxOCz_OtuGYw4V9eE1m39M'
const inputName = 'open_high_low_close'
const query = {
  base: 'ETH',
  quote: 'USD',
  total_candles: 10,
  candle_duration_in_mins: 60,
  order: CandleOrder.ASCENDING,
  candle_types: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
}

const emptyOutput = { numbers: [], strings: [], jsons: [], is_simulation_result: false }

/** A distinct output per run; the first is the largest so later runs must shrink storage. */
function outputOfRun(run: number) {
  return {
    numbers: [
      { name: 'Y', values: [{ value: BigInt(run), decimals: 3n }], shape: [1] },
      ...(run === 1
        ? [
            {
              name: 'extra',
              values: [
                { value: -1n, decimals: 0n },
                { value: 2n, decimals: 40n },
              ],
              shape: [2],
            },
          ]
        : []),
    ],
    strings: run === 1 ? [{ name: 'label', values: ['up', 'down'] }] : [],
    jsons: run === 1 ? [{ name: 'meta', value: '{"run": 1}' }] : [],
    is_simulation_result: false,
  }
}

/** The calldata `run()` sends to 0xF5: every run is the same request. */
const priceFeedCalldata = encodeFunctionData({
  abi: priceHistoryPrecompileAbi,
  functionName: 'runInferenceOnPriceFeed',
  args: [modelId, inputName, query],
})

let anvil: Anvil
let workflowAddress: Address
/** Results prepared so far for `priceFeedCalldata`, i.e. the occurrence of the next one. */
let preparedRuns = 0n

beforeAll(async () => {
  anvil = await startAnvil()
  await anvil.testClient.setCode({
    address: priceHistoryPrecompileAddress,
    bytecode: priceHistoryPrecompileStandInDeployedBytecode,
  })
  const wallet = anvil.walletClient(anvil.accounts[0])
  const hash = await wallet.deployContract({
    abi: priceHistoryInferenceAbi,
    bytecode: priceHistoryInferenceBytecode,
    args: [modelId, inputName, query],
  })
  const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
  workflowAddress = receipt.contractAddress!
})

afterAll(async () => {
  await anvil?.stop()
})

function workflow(account = anvil.accounts[1]) {
  return getWorkflowContract({
    client: { public: anvil.publicClient, wallet: anvil.walletClient(account) },
    address: workflowAddress,
  })
}

/** How many results of the request `calldata` the 0xF5 stand-in consumed, read from storage. */
async function consumed(calldata: Hex): Promise<bigint> {
  const word = await anvil.publicClient.getStorageAt({
    address: priceHistoryPrecompileAddress,
    slot: consumedResultsSlot(keccak256(calldata)),
  })
  return BigInt(word ?? 0)
}

async function prepareRun(output: ReturnType<typeof outputOfRun>) {
  const occurrence = preparedRuns++
  await anvil.testClient.setCode({
    address: resultAccountAddress(
      priceHistoryPrecompileAddress,
      keccak256(priceFeedCalldata),
      occurrence,
    ),
    bytecode: encodeStandInResult({
      occurrence,
      ok: true,
      inferenceId: `price-feed-${occurrence}`,
      payload: encodeFunctionResult({
        abi: priceHistoryPrecompileAbi,
        functionName: 'runInferenceOnPriceFeed',
        result: output,
      }),
    }),
  })
}

describe('PriceHistoryInference with the 0xF5 stand-in', () => {
  test('default: the constructor stores model, input name and query', async () => {
    expect(await workflow().read.modelId()).toBe(modelId)
    expect(await workflow().read.inputName()).toBe(inputName)
    // The struct getter leaves out `candle_types`, as on the network.
    expect(await workflow().read.inputQuery()).toEqual(['ETH', 'USD', 10, 60, 0])
    expect(await workflow().read.historicalContract()).toBe(priceHistoryPrecompileAddress)
  })

  test('default: before any run the result is empty and the history is empty', async () => {
    expect(await workflow().read.getInferenceResult()).toEqual(emptyOutput)
    expect(await workflow().read.getLastInferenceResults([5n])).toEqual([])
  })

  test('error: reading zero results reverts', async () => {
    await expect(workflow().read.getLastInferenceResults([0n])).rejects.toThrow(
      'Number of results must be positive',
    )
  })

  test('behavior: run() logs 0xF5 then the workflow, and stores the output', async () => {
    await prepareRun(outputOfRun(1))
    const hash = await workflow().write.run()
    const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    expect(receipt.logs).toHaveLength(2)
    expect(sameAddress(receipt.logs[0]!.address, priceHistoryPrecompileAddress)).toBe(true)
    expect(sameAddress(receipt.logs[1]!.address, workflowAddress)).toBe(true)

    const [precompileEvent, workflowEvent] = parseEventLogs({
      abi: [...priceHistoryPrecompileAbi, ...priceHistoryInferenceAbi],
      logs: receipt.logs,
    })
    expect(precompileEvent?.eventName).toBe('HistoricalInferenceEvent')
    expect(precompileEvent?.args).toEqual({
      inferenceID: 'price-feed-0',
      modelID: modelId,
      base: 'ETH',
      quote: 'USD',
    })
    expect(workflowEvent?.eventName).toBe('InferenceResultEmitted')
    expect(workflowEvent?.args).toEqual({
      caller: anvil.accounts[1].address,
      result: outputOfRun(1),
    })
    // The caller is indexed: topics are [topic0, caller].
    expect(receipt.logs[1]!.topics[1]).toBe(toHex(BigInt(anvil.accounts[1].address), { size: 32 }))

    expect(await workflow().read.getInferenceResult()).toEqual(outputOfRun(1))
    expect(await consumed(priceFeedCalldata)).toBe(1n)
  })

  test('behavior: the history is returned oldest first and a smaller output replaces a larger one', async () => {
    for (const run of [2, 3]) {
      await prepareRun(outputOfRun(run))
      const hash = await workflow().write.run()
      await anvil.publicClient.waitForTransactionReceipt({ hash })
    }
    expect(await workflow().read.getInferenceResult()).toEqual(outputOfRun(3))
    expect(await workflow().read.getLastInferenceResults([2n])).toEqual([
      outputOfRun(2),
      outputOfRun(3),
    ])
    expect(await workflow().read.getLastInferenceResults([10n])).toEqual([
      outputOfRun(1),
      outputOfRun(2),
      outputOfRun(3),
    ])
    // Storage layout of the reference bytecode: the run count sits in slot 10.
    const count = await anvil.publicClient.getStorageAt({
      address: workflowAddress,
      slot: toHex(10n, { size: 32 }),
    })
    expect(BigInt(count ?? 0)).toBe(3n)
    // Each run took the next occurrence of the same request.
    expect(await consumed(priceFeedCalldata)).toBe(3n)
  })

  test('behavior: run() stores a simulation answer too, like the reference contract', async () => {
    const hash = await workflow().write.run({ gas: 5_000_000n })
    const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.logs).toHaveLength(1)
    const simulation = { ...emptyOutput, is_simulation_result: true }
    expect(await workflow().read.getInferenceResult()).toEqual(simulation)
    const history = await workflow().read.getLastInferenceResults([1n])
    expect(history).toEqual([simulation])
    // No result was prepared for occurrence 3, so nothing was consumed.
    expect(await consumed(priceFeedCalldata)).toBe(3n)
  })

  test('behavior: candle queries answer [] in simulation and the prepared candles otherwise, without a log', async () => {
    const precompile = getPriceHistoryPrecompileContract({
      client: { public: anvil.publicClient, wallet: anvil.walletClient(anvil.accounts[0]) },
    })
    expect((await precompile.simulate.queryHistoricalCandles([query])).result).toEqual([])

    const candles = [
      { value: 345678n, decimals: 2n },
      { value: 345999n, decimals: 2n },
    ]
    const calldata = encodeFunctionData({
      abi: priceHistoryPrecompileAbi,
      functionName: 'queryHistoricalCandles',
      args: [query],
    })
    // Occurrence 0 of its own request: the price-feed runs before do not shift it.
    await anvil.testClient.setCode({
      address: resultAccountAddress(priceHistoryPrecompileAddress, keccak256(calldata), 0n),
      bytecode: encodeStandInResult({
        occurrence: 0n,
        ok: true,
        inferenceId: '',
        payload: encodeFunctionResult({
          abi: priceHistoryPrecompileAbi,
          functionName: 'queryHistoricalCandles',
          result: candles,
        }),
      }),
    })
    expect((await precompile.simulate.queryHistoricalCandles([query])).result).toEqual(candles)
    expect(await consumed(calldata)).toBe(0n)
    const hash = await precompile.write.queryHistoricalCandles([query])
    const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.logs).toHaveLength(0)
    expect(await consumed(calldata)).toBe(1n)
    expect(await consumed(priceFeedCalldata)).toBe(3n)
  })
})
