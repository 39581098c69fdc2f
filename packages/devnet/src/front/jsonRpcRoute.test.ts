import { inferenceHubAbi, inferencePrecompileAbi } from '@opengradient/contracts'
import {
  type AbiModelOutput,
  encodeModelInput,
  type Hex,
  inferenceHubAddress,
  inferencePrecompileAddress,
} from '@opengradient/core'
import {
  createPublicClient,
  decodeEventLog,
  decodeFunctionResult,
  encodeFunctionData,
  formatTransactionReceipt,
  http,
  type PublicClient,
  type RpcTransactionReceipt,
  type TransactionReceipt,
} from 'viem'
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { devPrivateKeys } from '../accounts.js'
import { type Devnet, startDevnet } from '../startDevnet.js'

const testModel = 'QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ'

let devnet: Devnet
let client: PublicClient
let gasPrice: bigint

beforeAll(async () => {
  devnet = await startDevnet({ temporary: true, port: 0 })
  client = createPublicClient({ transport: http(devnet.rpcUrl), pollingInterval: 10 })
  gasPrice = await client.getGasPrice()
})
afterAll(() => devnet?.stop())

/** Calldata of `hub.run` on the test model; `tag` comes back as `num_output2`. */
function runData(tag: number, model = testModel): Hex {
  return encodeFunctionData({
    abi: inferenceHubAbi,
    functionName: 'run',
    args: [
      model,
      0,
      encodeModelInput({
        num_input1: [1, 2],
        num_input2: tag,
        str_input1: ['a'],
        str_input2: 'b',
      }) as never,
    ],
  })
}

async function sign(
  account: PrivateKeyAccount,
  nonce: number,
  data: Hex,
  gas = 3_000_000n,
): Promise<Hex> {
  return await account.signTransaction({
    chainId: devnet.chain.id,
    type: 'legacy',
    to: inferenceHubAddress,
    data,
    gas,
    gasPrice,
    nonce,
  })
}

async function nonceOf(account: PrivateKeyAccount): Promise<number> {
  return await client.getTransactionCount({ address: account.address, blockTag: 'pending' })
}

/** The hub output of a receipt and the inference id of the precompile event before it. */
function resultOf(receipt: TransactionReceipt) {
  const [precompileLog, hubLog] = receipt.logs
  expect(precompileLog?.address.toLowerCase()).toBe(inferencePrecompileAddress.toLowerCase())
  expect(hubLog?.address.toLowerCase()).toBe(inferenceHubAddress.toLowerCase())
  const precompileEvent = decodeEventLog({ abi: inferencePrecompileAbi, ...precompileLog! })
  const hubEvent = decodeEventLog({ abi: inferenceHubAbi, ...hubLog! })
  const output = (hubEvent.args as { output: AbiModelOutput }).output
  return {
    inferenceId: (precompileEvent.args as { inferenceID: string }).inferenceID,
    simulation: output.is_simulation_result,
    tag: Number(output.numbers.find((tensor) => tensor.name === 'num_output2')?.values[0]?.value),
  }
}

async function sendAll(transactions: Hex[]): Promise<TransactionReceipt[]> {
  // Concurrent requests reach the front in any order; send the last nonce first on purpose.
  const hashes = await Promise.all(
    [...transactions]
      .reverse()
      .map((serializedTransaction) => client.sendRawTransaction({ serializedTransaction })),
  )
  return await Promise.all(
    hashes.reverse().map((hash) => client.waitForTransactionReceipt({ hash })),
  )
}

describe('createJsonRpcRoute', () => {
  test('default: eth_sendRawTransactionSync answers with the mined receipt', async () => {
    const account = privateKeyToAccount(devPrivateKeys[1]!)
    const serialized = await sign(account, await nonceOf(account), runData(7))
    const receipt = formatTransactionReceipt(
      (await client.request({
        method: 'eth_sendRawTransactionSync' as never,
        params: [serialized] as never,
      })) as RpcTransactionReceipt,
    )
    expect(receipt.status).toBe('success')
    expect(resultOf(receipt)).toMatchObject({ simulation: false, tag: 7 })
  })

  test('behavior: queued sends of one account each execute with their own answer', async () => {
    const account = privateKeyToAccount(devPrivateKeys[2]!)
    const first = await nonceOf(account)
    const transactions = await Promise.all(
      Array.from({ length: 12 }, (_, index) => sign(account, first + index, runData(index + 1))),
    )
    const receipts = await sendAll(transactions)
    const results = receipts.map((receipt) => {
      expect(receipt.status).toBe('success')
      return resultOf(receipt)
    })
    expect(results.map((result) => result.tag)).toEqual(
      Array.from({ length: 12 }, (_, index) => index + 1),
    )
    expect(results.every((result) => !result.simulation)).toBe(true)
    expect(new Set(results.map((result) => result.inferenceId)).size).toBe(12)
  })

  test('behavior: a queued send that runs out of gas does not shift the answers behind it', async () => {
    const account = privateKeyToAccount(devPrivateKeys[3]!)
    const first = await nonceOf(account)
    // Enough for the simulation (which runs no model) but not for the real output: it reverts
    // after its answer was placed and the next answers were placed behind it.
    const simulated = await client.estimateGas({
      account: account.address,
      to: inferenceHubAddress,
      data: runData(1),
    })
    const receipts = await sendAll([
      await sign(account, first, runData(1), simulated),
      await sign(account, first + 1, runData(2)),
      await sign(account, first + 2, runData(3)),
    ])
    expect(receipts.map((receipt) => receipt.status)).toEqual(['reverted', 'success', 'success'])
    expect(receipts.slice(1).map((receipt) => resultOf(receipt))).toMatchObject([
      { simulation: false, tag: 2 },
      { simulation: false, tag: 3 },
    ])
  })

  test('behavior: sends of many accounts at once share blocks, each with its own answer', async () => {
    const accounts = devPrivateKeys.map((key) => privateKeyToAccount(key))
    // Half of them send the same request: its answers are interchangeable, one per send.
    const transactions = await Promise.all(
      accounts.map(async (account, index) =>
        sign(account, await nonceOf(account), runData(index % 2 === 0 ? 40 : 41 + index)),
      ),
    )
    const receipts = await Promise.all(
      transactions.map(async (serializedTransaction) =>
        formatTransactionReceipt(
          (await client.request({
            method: 'eth_sendRawTransactionSync' as never,
            params: [serializedTransaction] as never,
          })) as RpcTransactionReceipt,
        ),
      ),
    )
    const results = receipts.map((receipt) => {
      expect(receipt.status).toBe('success')
      return resultOf(receipt)
    })
    expect(results.map((result) => result.tag)).toEqual(
      accounts.map((_, index) => (index % 2 === 0 ? 40 : 41 + index)),
    )
    expect(results.every((result) => !result.simulation)).toBe(true)
    expect(new Set(results.map((result) => result.inferenceId)).size).toBe(accounts.length)
  })

  test('behavior: predicted sends are not held back while earlier ones wait to be mined', async () => {
    const accounts = [0, 1, 2].map((index) => privateKeyToAccount(devPrivateKeys[index]!))
    const transactions = await Promise.all(
      accounts.map(async (account, index) =>
        sign(account, await nonceOf(account), runData(70 + index)),
      ),
    )
    await client.request({ method: 'evm_setAutomine' as never, params: [false] as never })
    try {
      const hashes = Promise.all(
        transactions.map((serializedTransaction) =>
          client.sendRawTransaction({ serializedTransaction }),
        ),
      )
      // Every send reaches anvil's pool although none is mined: one block takes them all.
      await expect
        .poll(async () => (await client.request({ method: 'txpool_status' as never })) as never, {
          timeout: 5_000,
          interval: 50,
        })
        .toMatchObject({ pending: '0x3' })
      await client.request({ method: 'evm_mine' as never })
      const receipts = await Promise.all(
        (await hashes).map((hash) => client.waitForTransactionReceipt({ hash })),
      )
      expect(new Set(receipts.map((receipt) => receipt.blockNumber)).size).toBe(1)
      expect(receipts.map((receipt) => resultOf(receipt))).toMatchObject([
        { simulation: false, tag: 70 },
        { simulation: false, tag: 71 },
        { simulation: false, tag: 72 },
      ])
    } finally {
      await client.request({ method: 'evm_setAutomine' as never, params: [true] as never })
    }
  })

  test('behavior: a send that reverts leaves its answer to the next send of the same request', async () => {
    const account = privateKeyToAccount(devPrivateKeys[7]!)
    const first = await nonceOf(account)
    const simulated = await client.estimateGas({
      account: account.address,
      to: inferenceHubAddress,
      data: runData(5),
    })
    const receipts = await sendAll([
      await sign(account, first, runData(5), simulated),
      await sign(account, first + 1, runData(5)),
    ])
    expect(receipts.map((receipt) => receipt.status)).toEqual(['reverted', 'success'])
    expect(resultOf(receipts[1]!)).toMatchObject({ simulation: false, tag: 5 })
  })

  test('behavior: an answer placed for an estimate that is never sent is removed', async () => {
    const account = privateKeyToAccount(devPrivateKeys[8]!)
    const request = { account: account.address, to: inferenceHubAddress, data: runData(63) }
    await client.estimateGas(request)
    // The answer placed ahead of the announced send waits 2 s for it.
    await new Promise((resolve) => setTimeout(resolve, 2_600))
    const { data } = await client.call(request)
    const output = decodeFunctionResult({
      abi: inferenceHubAbi,
      functionName: 'run',
      data: data!,
    }) as unknown as AbiModelOutput
    expect(output.is_simulation_result).toBe(true)
    expect(output.numbers).toEqual([])
  })

  test('behavior: a failing answer between queued sends reverts alone', async () => {
    const account = privateKeyToAccount(devPrivateKeys[4]!)
    const first = await nonceOf(account)
    const receipts = await sendAll([
      await sign(account, first, runData(1)),
      await sign(account, first + 1, runData(2, 'QmNoSuchModel')),
      await sign(account, first + 2, runData(3)),
    ])
    expect(receipts.map((receipt) => receipt.status)).toEqual(['success', 'reverted', 'success'])
    expect(resultOf(receipts[0]!)).toMatchObject({ simulation: false, tag: 1 })
    expect(resultOf(receipts[2]!)).toMatchObject({ simulation: false, tag: 3 })
  })

  test('behavior: estimates of hub calls are answered again without changing', async () => {
    const account = privateKeyToAccount(devPrivateKeys[5]!)
    const request = { account: account.address, to: inferenceHubAddress, data: runData(9) }
    const fromAnvil = await createPublicClient({ transport: http(devnet.anvilUrl) }).estimateGas(
      request,
    )
    expect(await client.estimateGas(request)).toBe(fromAnvil)
    expect(await client.estimateGas(request)).toBe(fromAnvil)
  })

  test('behavior: after a snapshot is reverted through the front, answers follow the chain', async () => {
    const account = privateKeyToAccount(devPrivateKeys[6]!)
    const snapshot = await client.request({ method: 'evm_snapshot' as never })
    const [done] = await sendAll([await sign(account, await nonceOf(account), runData(1))])
    expect(resultOf(done!).simulation).toBe(false)
    // The stand-in's result counter goes back with the chain; the front must not keep its own.
    await client.request({ method: 'evm_revert' as never, params: [snapshot] as never })
    const [again] = await sendAll([await sign(account, await nonceOf(account), runData(2))])
    expect(again!.status).toBe('success')
    expect(resultOf(again!)).toMatchObject({ simulation: false, tag: 2 })
  })
})
