import { CandleOrder, CandleType, InvalidInputError } from '@opengradient/core'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { devnetAdmin } from '../../../../test/devnetAdmin.js'
import { createAlphaClient } from '../client/createAlphaClient.js'
import { newWorkflow } from './newWorkflow.js'
import { readWorkflowHistory } from './readWorkflowHistory.js'
import { runWorkflow } from './runWorkflow.js'

// Account 4 of the dev mnemonic: other test files use other accounts.
const account = privateKeyToAccount(
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
)

function setup() {
  const devnet = testDevnet()
  return { devnet, client: createAlphaClient({ chain: devnet.chain, account }) }
}

async function deploy() {
  const { address } = await newWorkflow(setup().client, {
    model: 'QmSJBi1cELtPvvekbXAwYFRakExoGATumeEyBVHxjm3y4c',
    inputTensorName: 'candles',
    inputQuery: {
      base: 'HIS',
      quote: 'USDT',
      totalCandles: 2,
      candleDurationInMinutes: 60,
      order: CandleOrder.ASCENDING,
      candleTypes: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
    },
  })
  return address
}

/** Runs the workflow on two candles whose closes grow by `ratio`; returns ln(ratio). */
async function runWith(address: `0x${string}`, ratio: number): Promise<number> {
  const { devnet, client } = setup()
  await devnetAdmin(devnet.rpcUrl, 'og_pushCandles', {
    base: 'HIS',
    quote: 'USDT',
    replace: true,
    candles: [100, 100 * ratio].map((close) => ({ open: 1, high: 1, low: 1, close })),
  })
  await runWorkflow(client, { address })
  return Math.log(ratio)
}

const forecastOf = (output: { numbers: Record<string, { data: number[] }> }) =>
  output.numbers.regression_output?.data[0]

describe('readWorkflowHistory', () => {
  test('default: oldest first, as the contract returns them', async () => {
    const { client } = setup()
    const address = await deploy()
    const expected = [
      await runWith(address, 1.1),
      await runWith(address, 0.9),
      await runWith(address, 1.5),
    ]
    const history = await readWorkflowHistory(client, { address, count: 3 })
    expect(history.map(forecastOf).map((value) => value?.toFixed(6))).toEqual(
      expected.map((value) => value.toFixed(6)),
    )
    // The last two, still oldest first.
    const lastTwo = await readWorkflowHistory(client, { address, count: 2n })
    expect(lastTwo).toEqual(history.slice(1))
  })

  test('args: order newest-first reverses the contract order', async () => {
    const { client } = setup()
    const address = await deploy()
    await runWith(address, 1.1)
    await runWith(address, 0.9)
    const oldestFirst = await readWorkflowHistory(client, { address, count: 5 })
    const newestFirst = await readWorkflowHistory(client, {
      address,
      count: 5,
      order: 'newest-first',
    })
    expect(oldestFirst).toHaveLength(2)
    expect(newestFirst).toEqual([...oldestFirst].reverse())
  })

  test('behavior: before any run the history is empty', async () => {
    const { client } = setup()
    expect(await readWorkflowHistory(client, { address: await deploy(), count: 10 })).toEqual([])
  })

  test('error: count must be at least 1', async () => {
    const { client } = setup()
    const address = await deploy()
    for (const count of [0, -1, 1.5, 0n]) {
      const error = await readWorkflowHistory(client, { address, count }).catch(
        (caught: unknown) => caught,
      )
      expect(error).toBeInstanceOf(InvalidInputError)
      expect((error as InvalidInputError).shortMessage).toMatchInlineSnapshot(
        `"Number of results must be positive"`,
      )
    }
    await expect(
      readWorkflowHistory(client, { address, count: 1, order: 'latest' as never }),
    ).rejects.toThrowError('"order" must be "oldest-first" or "newest-first", got "latest".')
  })
})
