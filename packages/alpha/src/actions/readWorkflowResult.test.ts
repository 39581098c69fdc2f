import { BaseError, CandleOrder, CandleType } from '@opengradient/core'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { createAlphaClient } from '../client/createAlphaClient.js'
import { newWorkflow } from './newWorkflow.js'
import { readWorkflowResult } from './readWorkflowResult.js'
import { runWorkflow } from './runWorkflow.js'

// Account 4 of the dev mnemonic: other test files use other accounts.
const account = privateKeyToAccount(
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
)

function setup() {
  return createAlphaClient({ chain: testDevnet().chain, account })
}

async function deploy() {
  const { address } = await newWorkflow(setup(), {
    model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
    inputTensorName: 'open_high_low_close',
    inputQuery: {
      base: 'BTC',
      quote: 'USD',
      totalCandles: 10,
      candleDurationInMinutes: 60,
      order: CandleOrder.ASCENDING,
      candleTypes: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
    },
  })
  return address
}

describe('readWorkflowResult', () => {
  test('default', async () => {
    const client = setup()
    const address = await deploy()
    const run = await runWorkflow(client, { address })
    const result = await readWorkflowResult(client, { address })
    expect(result.hasResult).toBe(true)
    expect(result.modelOutput).toEqual(run.modelOutput)
    expect(result.modelOutput.numbers.Y?.data[0]).toBeGreaterThan(0)
  })

  test('behavior: before the first run the result is empty and says so', async () => {
    const client = setup()
    const address = await deploy()
    expect(await readWorkflowResult(client, { address })).toEqual({
      hasResult: false,
      modelOutput: { numbers: {}, strings: {}, jsons: {}, isSimulationResult: false },
    })
  })

  test('args: blockNumber reads an earlier state', async () => {
    const client = setup()
    const address = await deploy()
    const blockNumber = await client.publicClient.getBlockNumber()
    await runWorkflow(client, { address })
    expect((await readWorkflowResult(client, { address, blockNumber })).hasResult).toBe(false)
    expect((await readWorkflowResult(client, { address })).hasResult).toBe(true)
  })

  test('error: an address without a workflow', async () => {
    const error = await readWorkflowResult(setup(), {
      address: '0x000000000000000000000000000000000000dEaD',
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(BaseError)
    expect((error as BaseError).shortMessage).toBe('The call to "getInferenceResult" failed.')
  })
})
