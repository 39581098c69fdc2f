// Benchmarks of on-chain inference against its floor: the model run alone plus a bare anvil
// transaction of similar size, and 200 concurrent calls against 200 prepared transactions.
// The devnet is the one the global setup started in the main vitest process, so the client
// and the devnet do not share an event loop, as with `og devnet` in its own terminal.
import { inferenceHubAbi, keepAliveHttp } from '@opengradient/contracts'
import { encodeModelInput, inferenceHubAddress } from '@opengradient/core'
import { builtinModelPath, devAccounts } from '@opengradient/devnet'
import * as ort from 'onnxruntime-node'
import { createPublicClient, encodeFunctionData, type Hex, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { bench, describe } from 'vitest'
import { testDevnet } from '../../../test/devnet.js'
import { infer } from './actions/infer.js'
import { createAlphaClient } from './client/createAlphaClient.js'

const testModel = 'QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ'
const input = {
  num_input1: [1, 2, 3],
  num_input2: 10,
  str_input1: ['hello', 'ONNXY'],
  str_input2: ' world',
}

const devnet = testDevnet()
const accounts = devAccounts()

const inferAccount = privateKeyToAccount(accounts[5]!.privateKey)
const client = createAlphaClient({ chain: devnet.chain, account: inferAccount, pollingInterval: 5 })
const anvil = createPublicClient({ transport: http(devnet.anvilUrl), pollingInterval: 5 })
// The strict floors send with the transport `infer`'s client uses by default.
const anvilLean = createPublicClient({ transport: keepAliveHttp(devnet.anvilUrl) })

const session = await ort.InferenceSession.create(builtinModelPath('test-model.onnx'))
const feeds = {
  num_input1: new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [3]),
  num_input2: new ort.Tensor('float32', Float32Array.from([10]), [1]),
  str_input1: new ort.Tensor('string', ['hello', 'ONNXY'], [2]),
  str_input2: new ort.Tensor('string', [' world'], [1]),
}
// The same calldata as `infer` sends; straight to anvil the stand-in answers in simulation mode,
// so this is the cost of the chain alone.
const data = encodeFunctionData({
  abi: inferenceHubAbi,
  functionName: 'run',
  args: [testModel, 0, encodeModelInput(input) as never],
})
const gasPrice = await anvil.getGasPrice()

/** Signs `count` hub transactions with consecutive nonces, ahead of the measurement. */
async function prepareRuns(privateKey: Hex, count: number): Promise<Hex[]> {
  const account = privateKeyToAccount(privateKey)
  const startNonce = await anvil.getTransactionCount({ address: account.address })
  return await Promise.all(
    Array.from({ length: count }, (_, index) =>
      account.signTransaction({
        chainId: devnet.chain.id,
        type: 'legacy',
        to: inferenceHubAddress,
        data,
        gas: 1_000_000n,
        gasPrice,
        nonce: startNonce + index,
      }),
    ),
  )
}

const singles = await prepareRuns(accounts[6]!.privateKey, 400)
const batches = await prepareRuns(accounts[7]!.privateKey, 1000)
const syncSingles = await prepareRuns(accounts[8]!.privateKey, 400)
const syncBatches = await prepareRuns(accounts[9]!.privateKey, 1000)

/**
 * Sends a prepared transaction with `eth_sendRawTransactionSync` over the SDK's own transport:
 * the mined receipt in one round trip, no polling, the cheapest HTTP client.
 */
async function sendSync(serializedTransaction: Hex | undefined): Promise<void> {
  if (!serializedTransaction) throw new Error('Out of prepared transactions.')
  const receipt = (await anvilLean.request({
    method: 'eth_sendRawTransactionSync' as never,
    params: [serializedTransaction] as never,
  })) as { status?: string }
  if (!receipt?.status) throw new Error('No receipt came back.')
}

// 100 round trips each side: the floor's receipt wait varies with anvil's mining (a receipt
// asked before the block exists waits for viem's next poll), so a short series is a lottery.
const roundTripRuns = { iterations: 100, time: 0, warmupIterations: 10, warmupTime: 0 }

// Five runs of 200 each side: with two, one slow run on a noisy machine decided the ratio.
const throughputRuns = { iterations: 5, time: 0, warmupIterations: 0, warmupTime: 0, throws: true }

describe('infer round trip', () => {
  bench(
    'floor: onnxruntime session.run + bare anvil transaction',
    async () => {
      await session.run(feeds)
      const serializedTransaction = singles.shift()
      if (!serializedTransaction) throw new Error('Out of prepared transactions.')
      const hash = await anvil.sendRawTransaction({ serializedTransaction })
      await anvil.waitForTransactionReceipt({ hash })
    },
    roundTripRuns,
  )
  // The same floor without viem's receipt polling (whose 5 ms ticks make the one above vary from
  // run to run) and over the transport `infer` uses: the strictest comparison, printed beside.
  bench(
    'strict floor: session.run + the transaction with eth_sendRawTransactionSync',
    async () => {
      await session.run(feeds)
      await sendSync(syncSingles.shift())
    },
    roundTripRuns,
  )
  bench(
    'infer (estimate, sign, pre-execute, run the model, mine, decode)',
    async () => {
      await infer(client, { model: testModel, mode: 0, input })
    },
    roundTripRuns,
  )
})

describe('200 concurrent inferences from one account', () => {
  bench(
    'floor: 200 prepared transactions straight to anvil',
    async () => {
      const batch = batches.splice(0, 200)
      const hashes = await Promise.all(
        batch.map((serializedTransaction) => anvil.sendRawTransaction({ serializedTransaction })),
      )
      await Promise.all(hashes.map((hash) => anvil.waitForTransactionReceipt({ hash })))
    },
    throughputRuns,
  )
  bench(
    'strict floor: the same 200 sent with eth_sendRawTransactionSync',
    async () => {
      await Promise.all(syncBatches.splice(0, 200).map(sendSync))
    },
    throughputRuns,
  )
  bench(
    '200 concurrent infer calls',
    async () => {
      const results = await Promise.all(
        Array.from({ length: 200 }, () => infer(client, { model: testModel, mode: 0, input })),
      )
      if (results.some((result) => result.modelOutput.numbers.num_output1?.data[0] !== 11)) {
        throw new Error('An inference returned a wrong result.')
      }
    },
    throughputRuns,
  )
})
