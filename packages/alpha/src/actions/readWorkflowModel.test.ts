import {
  alphaTestnet,
  CandleOrder,
  CandleType,
  InvalidInputError,
  toFloat32,
} from '@opengradient/core'
import { privateKeyToAccount } from 'viem/accounts'
import { beforeAll, describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { devnetAdmin } from '../../../../test/devnetAdmin.js'
import { createAlphaClient } from '../client/createAlphaClient.js'
import { WorkflowResultError } from '../errors/workflow.js'
import { formatPercentage } from '../utils/formatPercentage.js'
import { workflowModelNames, workflowModels } from '../workflows/workflowModels.js'
import { newWorkflow } from './newWorkflow.js'
import { readWorkflowModel } from './readWorkflowModel.js'
import { runWorkflow } from './runWorkflow.js'

// Account 4 of the dev mnemonic: other test files use other accounts.
const account = privateKeyToAccount(
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
)

function setup() {
  return createAlphaClient({ chain: testDevnet().chain, account })
}

beforeAll(async () => {
  // The devnet's look-alikes of the pre-deployed workflows, each run once.
  await devnetAdmin(testDevnet().rpcUrl, 'og_installReferenceWorkflows', { schedule: false })
})

describe('readWorkflowModel', () => {
  test('default', async () => {
    const client = setup()
    for (const workflow of workflowModelNames) {
      const result = await readWorkflowModel(client, { workflow })
      const tensor = result.modelOutput.numbers[workflowModels[workflow].outputName]
      expect(result.address).toBe(workflowModels[workflow].address)
      expect(result.outputName).toBe(workflowModels[workflow].outputName)
      expect(result.value).toBe(toFloat32(tensor!.raw[0]!))
      expect(result.result).toBe(formatPercentage(result.value))
      expect(result.result).toMatch(/^-?\d+\.\d{10}%$/)
      // The devnet has no block explorer.
      expect(result.blockExplorerLink).toBe('')
    }
    const volatility = await readWorkflowModel(client, { workflow: 'eth-volatility' })
    expect(volatility.value).toBeGreaterThan(0)
  })

  test('args: address and outputName override the table', async () => {
    const client = setup()
    const { address } = await newWorkflow(client, {
      model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
      inputTensorName: 'open_high_low_close',
      inputQuery: {
        base: 'ETH',
        quote: 'USDT',
        totalCandles: 10,
        candleDurationInMinutes: 60,
        order: CandleOrder.ASCENDING,
        candleTypes: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
      },
    })
    const run = await runWorkflow(client, { address })
    const mine = await readWorkflowModel(client, { workflow: 'eth-volatility', address })
    expect(mine.address).toBe(address)
    expect(mine.value).toBe(Math.fround(run.modelOutput.numbers.Y!.data[0]!))
    expect(
      await readWorkflowModel(client, { address, outputName: 'Y', decimals: 3 }),
    ).toMatchObject({
      result: formatPercentage(mine.value, 3),
    })
  })

  test('behavior: the explorer link on a chain with an explorer', async () => {
    const client = createAlphaClient({
      chain: { ...alphaTestnet, rpcUrls: testDevnet().chain.rpcUrls },
      account,
    })
    const result = await readWorkflowModel(client, { workflow: 'btc-1h' })
    expect(result.blockExplorerLink).toBe(
      'https://explorer.opengradient.ai/address/0xb4146E095c2CD2a7aA497EdfB513F1cB868Dcc3D',
    )
  })

  test('error: a workflow without a result, a missing tensor, an unknown name', async () => {
    const client = setup()
    const { address } = await newWorkflow(client, {
      model: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
      inputTensorName: 'open_high_low_close',
      inputQuery: {
        base: 'ETH',
        quote: 'USDT',
        totalCandles: 10,
        candleDurationInMinutes: 60,
        order: CandleOrder.ASCENDING,
        candleTypes: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
      },
    })
    const notRun = await readWorkflowModel(client, { address, outputName: 'Y' }).catch(
      (caught: unknown) => caught,
    )
    expect(notRun).toBeInstanceOf(WorkflowResultError)
    expect((notRun as WorkflowResultError).shortMessage).toBe(
      `Error reading from workflow with address "${address}": the workflow has not run yet, so it has no result.`,
    )
    const missing = await readWorkflowModel(client, {
      workflow: 'eth-volatility',
      outputName: 'regression_output',
    }).catch((caught: unknown) => caught)
    expect((missing as WorkflowResultError).shortMessage).toMatch(
      /the result has no number tensor "regression_output"\.$/,
    )
    expect((missing as WorkflowResultError).metaMessages).toEqual(['Number tensors: Y'])
    await expect(
      readWorkflowModel(client, { workflow: 'doge-1h' as never }),
    ).rejects.toBeInstanceOf(InvalidInputError)
    const notAContract = await readWorkflowModel(client, {
      address: '0x000000000000000000000000000000000000dEaD',
      outputName: 'Y',
    }).catch((caught: unknown) => caught)
    expect(notAContract).toBeInstanceOf(WorkflowResultError)
  })
})
