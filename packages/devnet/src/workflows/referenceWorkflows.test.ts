import { readFile } from 'node:fs/promises'
import { CandleOrder, CandleType } from '@opengradient/core'
import { keccak256, numberToHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { workflowModelBuilders } from '../../scripts/workflow-models.mjs'
import { builtinModelPath } from '../models/builtin.js'
import { computeModelCid } from '../models/cid.js'
import { referenceWorkflows, workflowModels, workflowStorage } from './referenceWorkflows.js'

describe('workflowModels', () => {
  test('default', () => {
    expect(workflowModels.map((model) => [model.fileName, model.cid])).toMatchInlineSnapshot(`
      [
        [
          "price-forecast.onnx",
          "QmSJBi1cELtPvvekbXAwYFRakExoGATumeEyBVHxjm3y4c",
        ],
        [
          "price-forecast-destandardized.onnx",
          "QmPa6PjpifezAMb3BrjB1GiFjH9mdShBvcvPHy7QmXRN2n",
        ],
      ]
    `)
  })

  test('behavior: each committed file has the listed id and equals its rebuild', async () => {
    expect(Object.keys(workflowModelBuilders).sort()).toEqual(
      workflowModels.map((model) => model.fileName).sort(),
    )
    for (const model of workflowModels) {
      const committed = await readFile(builtinModelPath(model.fileName))
      expect(await computeModelCid(committed), model.fileName).toBe(model.cid)
      const rebuilt = workflowModelBuilders[model.fileName]?.()
      expect(rebuilt && Buffer.from(rebuilt).equals(committed), model.fileName).toBe(true)
    }
  })
})

describe('referenceWorkflows', () => {
  test('default', () => {
    expect(
      referenceWorkflows.map((workflow) => [workflow.name, workflow.address, workflow.outputName]),
    ).toMatchInlineSnapshot(`
      [
        [
          "eth-volatility",
          "0xD5629A5b95dde11e4B5772B5Ad8a13B933e33845",
          "Y",
        ],
        [
          "btc-1h",
          "0xb4146E095c2CD2a7aA497EdfB513F1cB868Dcc3D",
          "regression_output",
        ],
        [
          "eth-1h",
          "0x58826c6dc9A608238d9d57a65bDd50EcaE27FE99",
          "regression_output",
        ],
        [
          "sol-1h",
          "0xaE12EC7314e91A612CF4Fa4DC07dC02cfCc4dF95",
          "regression_output",
        ],
        [
          "sui-1h",
          "0x90FE6434C46838c96E9ACb8d394C0fdfe38C6182",
          "regression_output",
        ],
        [
          "sui-30m",
          "0xD85BA71f5701dc4C5BDf9780189Db49C6F3708D2",
          "destandardized_prediction",
        ],
        [
          "sui-6h",
          "0x3C2E4DbD653Bd30F1333d456480c1b7aB122e946",
          "destandardized_prediction",
        ],
      ]
    `)
  })
})

describe('workflowStorage', () => {
  test('default: short strings inline, long strings in data slots', () => {
    const storage = new Map(
      workflowStorage({
        modelId: 'x'.repeat(40),
        inputName: 'candles',
        query: {
          base: 'ETH',
          quote: 'USDT',
          totalCandles: 10,
          candleDurationInMinutes: 60,
          order: CandleOrder.DESCENDING,
          candleTypes: [CandleType.OPEN, CandleType.CLOSE],
        },
      }),
    )
    const slot = (index: bigint) => numberToHex(index, { size: 32 })
    const dataSlot = (index: bigint, offset: bigint) =>
      numberToHex(BigInt(keccak256(slot(index))) + offset, { size: 32 })
    expect(storage.get(slot(0n))).toBe(numberToHex(81n, { size: 32 }))
    expect(storage.get(dataSlot(0n, 1n))).toBe(`0x${'78'.repeat(8)}${'00'.repeat(24)}`)
    expect(storage.get(slot(1n))).toBe(
      `0x${Buffer.from('candles').toString('hex').padEnd(62, '0')}0e`,
    )
    expect(storage.get(slot(4n))).toBe(numberToHex(10n | (60n << 32n) | (1n << 64n), { size: 32 }))
    expect(storage.get(slot(5n))).toBe(numberToHex(2n, { size: 32 }))
    expect(storage.get(dataSlot(5n, 0n))).toBe(numberToHex(2n | (3n << 8n), { size: 32 }))
  })
})
