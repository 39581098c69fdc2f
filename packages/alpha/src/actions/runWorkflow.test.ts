import { priceHistoryInferenceAbi, priceHistoryPrecompileAbi } from '@opengradient/contracts'
import {
  BaseError,
  CandleOrder,
  CandleType,
  priceHistoryPrecompileAddress,
  TransactionFailedError,
} from '@opengradient/core'
import { decodeEventLog } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { devnetAdmin } from '../../../../test/devnetAdmin.js'
import { createAlphaClient } from '../client/createAlphaClient.js'
import { newWorkflow } from './newWorkflow.js'
import { readWorkflowResult } from './readWorkflowResult.js'
import { runWorkflow } from './runWorkflow.js'

// Account 4 of the dev mnemonic: other test files use other accounts.
const account = privateKeyToAccount(
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
)
const forecastModel = 'QmSJBi1cELtPvvekbXAwYFRakExoGATumeEyBVHxjm3y4c'

function setup() {
  const devnet = testDevnet()
  return { devnet, client: createAlphaClient({ chain: devnet.chain, account }) }
}

async function deploy(model: string, base: string) {
  const { client } = setup()
  const { address } = await newWorkflow(client, {
    model,
    inputTensorName: 'candles',
    inputQuery: {
      base,
      quote: 'USDT',
      totalCandles: 3,
      candleDurationInMinutes: 60,
      order: CandleOrder.ASCENDING,
      candleTypes: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
    },
  })
  return address
}

describe('runWorkflow', () => {
  test('default', async () => {
    const { devnet, client } = setup()
    await devnetAdmin(devnet.rpcUrl, 'og_pushCandles', {
      base: 'RUN',
      quote: 'USDT',
      replace: true,
      candles: [100, 110, 121].map((close) => ({ open: 1, high: 1, low: 1, close })),
    })
    const address = await deploy(forecastModel, 'RUN')
    const result = await runWorkflow(client, { address })
    expect(result.transactionHash).toMatch(/^0x[0-9a-f]{64}$/)
    expect(result.modelOutput.isSimulationResult).toBe(false)
    expect(result.modelOutput.numbers.regression_output?.shape).toEqual([1])
    expect(result.modelOutput.numbers.regression_output?.data[0]).toBeCloseTo(Math.log(1.1), 6)
    // The id of the price-history precompile's event in the same receipt.
    const receipt = await client.publicClient.getTransactionReceipt({
      hash: result.transactionHash,
    })
    expect(receipt.logs[0]?.address.toLowerCase()).toBe(priceHistoryPrecompileAddress.toLowerCase())
    expect(result.inferenceId).toMatch(/^0x[0-9a-f]{64}$/)
    const event = decodeEventLog({ abi: priceHistoryPrecompileAbi, ...receipt.logs[0]! })
    expect(event).toMatchObject({
      eventName: 'HistoricalInferenceEvent',
      args: { inferenceID: result.inferenceId, modelID: forecastModel, base: 'RUN' },
    })
    // The stored result is the one this transaction emitted.
    expect((await readWorkflowResult(client, { address })).modelOutput).toEqual(result.modelOutput)
  })

  test('behavior: the result is this transaction’s, not a later caller’s', async () => {
    const { devnet, client } = setup()
    await devnetAdmin(devnet.rpcUrl, 'og_pushCandles', {
      base: 'RCE',
      quote: 'USDT',
      replace: true,
      candles: [100, 110, 121].map((close) => ({ open: 1, high: 1, low: 1, close })),
    })
    const address = await deploy(forecastModel, 'RCE')
    const first = await runWorkflow(client, { address })
    await devnetAdmin(devnet.rpcUrl, 'og_pushCandles', {
      base: 'RCE',
      quote: 'USDT',
      replace: true,
      candles: [100, 90, 81].map((close) => ({ open: 1, high: 1, low: 1, close })),
    })
    const second = await runWorkflow(client, { address, gas: 3_000_000n })
    expect(first.modelOutput.numbers.regression_output?.data[0]).toBeCloseTo(Math.log(1.1), 6)
    expect(second.modelOutput.numbers.regression_output?.data[0]).toBeCloseTo(Math.log(0.9), 6)
    const [emitted] = await client.publicClient.getContractEvents({
      address,
      abi: priceHistoryInferenceAbi,
      eventName: 'InferenceResultEmitted',
      fromBlock: (await client.publicClient.getTransactionReceipt({ hash: first.transactionHash }))
        .blockNumber,
    })
    expect(emitted?.args.caller).toBe(account.address)
  })

  test('error: a run whose inference fails reverts with the reason', async () => {
    const { client } = setup()
    const address = await deploy('QmNoSuchModelAnywhere', 'ETH')
    const error = await runWorkflow(client, { address }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TransactionFailedError)
    expect((error as TransactionFailedError).revertReason).toBe(
      'Model not found: QmNoSuchModelAnywhere',
    )
    expect((error as TransactionFailedError).transactionHash).toMatch(/^0x[0-9a-f]{64}$/)
  })

  test('error: an address without a workflow', async () => {
    const { client } = setup()
    const error = await runWorkflow(client, {
      address: '0x000000000000000000000000000000000000dEaD',
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(BaseError)
    expect((error as BaseError).shortMessage).toBe('The call to "getInferenceResult" failed.')
  })
})
