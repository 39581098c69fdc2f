// Look-alikes of the workflows pre-deployed on the Alpha testnet, installed at the same addresses
// so code that reads them (the reference's `workflow_models` readers) runs unchanged locally.
import { priceHistoryInferenceDeployedBytecode } from '@opengradient/contracts'
import {
  type Address,
  CandleOrder,
  CandleType,
  type Hex,
  type HistoricalInputQuery,
} from '@opengradient/core'
import { keccak256, numberToHex, toHex } from 'viem'
import type { JsonRpcClient } from '../rpc/jsonRpc.js'

/** A model shipped for the look-alike workflows. */
export type WorkflowModel = {
  /** File name under the package's `models/` directory. */
  fileName: string
  /** The IPFS content id of the file, checked by the tests against the committed file. */
  cid: string
  name: string
  description: string
}

/**
 * The forecast models behind the look-alikes: a momentum forecast (mean log return of the close
 * over the candles, as a fraction) under the output names the reference readers expect.
 *
 * @example
 * ```ts
 * workflowModels.map((model) => model.name) // ['price-forecast', 'price-forecast-destandardized']
 * ```
 */
export const workflowModels: readonly WorkflowModel[] = [
  {
    fileName: 'price-forecast.onnx',
    cid: 'QmSJBi1cELtPvvekbXAwYFRakExoGATumeEyBVHxjm3y4c',
    name: 'price-forecast',
    description:
      'Price forecast stand-in: candles float[n,4] (OPEN, HIGH, LOW, CLOSE, oldest first) → regression_output float[1], the mean log return of the close.',
  },
  {
    fileName: 'price-forecast-destandardized.onnx',
    cid: 'QmPa6PjpifezAMb3BrjB1GiFjH9mdShBvcvPHy7QmXRN2n',
    name: 'price-forecast-destandardized',
    description:
      'The same forecast as price-forecast, with the output named destandardized_prediction.',
  },
]

/** A workflow of the Alpha testnet and how its look-alike is configured. */
export type ReferenceWorkflow = {
  /** Short name, as `og forecast` takes it. */
  name: string
  /** The address on the Alpha testnet (reference `workflow_models/constants.py`). */
  address: Address
  /** The model the look-alike runs. */
  modelId: string
  inputName: string
  query: HistoricalInputQuery
  /** The output tensor the reference reader reads. */
  outputName: string
}

const ohlc = [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE] as const

function forecast(
  name: string,
  address: Address,
  base: string,
  candleDurationInMinutes: number,
  destandardized = false,
): ReferenceWorkflow {
  const model = workflowModels[destandardized ? 1 : 0]!
  return {
    name,
    address,
    modelId: model.cid,
    inputName: 'candles',
    query: {
      base,
      quote: 'USDT',
      totalCandles: 24,
      candleDurationInMinutes,
      order: CandleOrder.ASCENDING,
      candleTypes: ohlc,
    },
    outputName: destandardized ? 'destandardized_prediction' : 'regression_output',
  }
}

/**
 * The pre-deployed workflows of the Alpha testnet (workflows.md §8) as the devnet installs them:
 * the ETH/USDT volatility workflow runs the built-in volatility model on 10 hourly ETH/USDT
 * candles; the forecasts run {@link workflowModels} on 24 candles.
 *
 * @example
 * ```ts
 * referenceWorkflows.find((workflow) => workflow.name === 'eth-volatility')?.address
 * // '0xD5629A5b95dde11e4B5772B5Ad8a13B933e33845'
 * ```
 */
export const referenceWorkflows: readonly ReferenceWorkflow[] = [
  {
    name: 'eth-volatility',
    address: '0xD5629A5b95dde11e4B5772B5Ad8a13B933e33845',
    modelId: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
    inputName: 'open_high_low_close',
    query: {
      base: 'ETH',
      quote: 'USDT',
      totalCandles: 10,
      candleDurationInMinutes: 60,
      order: CandleOrder.ASCENDING,
      candleTypes: ohlc,
    },
    outputName: 'Y',
  },
  forecast('btc-1h', '0xb4146E095c2CD2a7aA497EdfB513F1cB868Dcc3D', 'BTC', 60),
  forecast('eth-1h', '0x58826c6dc9A608238d9d57a65bDd50EcaE27FE99', 'ETH', 60),
  forecast('sol-1h', '0xaE12EC7314e91A612CF4Fa4DC07dC02cfCc4dF95', 'SOL', 60),
  forecast('sui-1h', '0x90FE6434C46838c96E9ACb8d394C0fdfe38C6182', 'SUI', 60),
  forecast('sui-30m', '0xD85BA71f5701dc4C5BDf9780189Db49C6F3708D2', 'SUI', 30, true),
  forecast('sui-6h', '0x3C2E4DbD653Bd30F1333d456480c1b7aB122e946', 'SUI', 360, true),
]

/**
 * The storage of a `PriceHistoryInference` constructed with the workflow's model, input name and
 * query, as `[slot, value]` pairs: slot 0 `modelId`, 1 `inputName`, 2–5 `inputQuery` (base,
 * quote, the packed counts and order, then `candle_types`). The result slots stay untouched, so a
 * reinstall keeps the history.
 *
 * @example
 * ```ts
 * for (const [slot, value] of workflowStorage(workflow)) await anvil.request('anvil_setStorageAt', [address, slot, value])
 * ```
 */
export function workflowStorage(
  workflow: Pick<ReferenceWorkflow, 'modelId' | 'inputName' | 'query'>,
): [Hex, Hex][] {
  const { query } = workflow
  const packed =
    BigInt(query.totalCandles) |
    (BigInt(query.candleDurationInMinutes) << 32n) |
    (BigInt(query.order) << 64n)
  const types = query.candleTypes.reduce<bigint>(
    (word, type, index) => word | (BigInt(type) << BigInt(8 * index)),
    0n,
  )
  if (query.candleTypes.length > 32) throw new Error('At most 32 candle types fit the look-alike.')
  return [
    ...stringStorage(0n, workflow.modelId),
    ...stringStorage(1n, workflow.inputName),
    ...stringStorage(2n, query.base),
    ...stringStorage(3n, query.quote),
    [slotHex(4n), word(packed)],
    [slotHex(5n), word(BigInt(query.candleTypes.length))],
    [dataSlot(5n, 0n), word(types)],
  ]
}

/**
 * Installs the look-alike workflows: the workflow contract's runtime code and its constructor's
 * storage at each address.
 *
 * @example
 * ```ts
 * await installReferenceWorkflows({ anvil })
 * ```
 */
export async function installReferenceWorkflows(parameters: {
  anvil: JsonRpcClient
  workflows?: readonly ReferenceWorkflow[] | undefined
}): Promise<readonly ReferenceWorkflow[]> {
  const workflows = parameters.workflows ?? referenceWorkflows
  for (const workflow of workflows) {
    await parameters.anvil.request('anvil_setCode', [
      workflow.address,
      priceHistoryInferenceDeployedBytecode,
    ])
    for (const [slot, value] of workflowStorage(workflow)) {
      await parameters.anvil.request('anvil_setStorageAt', [workflow.address, slot, value])
    }
  }
  return workflows
}

/** Solidity's layout of a `string` at `slot`: inline below 32 bytes, else length and data slots. */
function stringStorage(slot: bigint, text: string): [Hex, Hex][] {
  const bytes = new TextEncoder().encode(text)
  if (bytes.length < 32) {
    const padded = new Uint8Array(32)
    padded.set(bytes)
    padded[31] = bytes.length * 2
    return [[slotHex(slot), toHex(padded)]]
  }
  const entries: [Hex, Hex][] = [[slotHex(slot), word(BigInt(bytes.length * 2 + 1))]]
  for (let offset = 0; offset < bytes.length; offset += 32) {
    const chunk = new Uint8Array(32)
    chunk.set(bytes.subarray(offset, offset + 32))
    entries.push([dataSlot(slot, BigInt(offset / 32)), toHex(chunk)])
  }
  return entries
}

function slotHex(slot: bigint): Hex {
  return numberToHex(slot, { size: 32 })
}

function word(value: bigint): Hex {
  return numberToHex(value, { size: 32 })
}

/** The `index`-th slot of the data of the dynamic value at `slot`: `keccak256(slot) + index`. */
function dataSlot(slot: bigint, index: bigint): Hex {
  return numberToHex(BigInt(keccak256(slotHex(slot))) + index, { size: 32 })
}
