import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inferenceHubAbi, inferencePrecompileAbi } from '@opengradient/contracts'
import {
  BaseError,
  InferenceMode,
  InvalidInputError,
  inferenceHubAddress,
  inferencePrecompileAddress,
  TransactionFailedError,
} from '@opengradient/core'
import {
  createPublicClient,
  decodeEventLog,
  decodeFunctionResult,
  encodeFunctionData,
  http,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { createAlphaClient } from '../client/createAlphaClient.js'
import { infer } from './infer.js'

const testModel = 'QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ'
const exampleInput = {
  num_input1: [1, 2, 3],
  num_input2: 10,
  str_input1: ['hello', 'ONNXY'],
  str_input2: ' world',
}
// Account 3 of the dev mnemonic: other test files use other accounts.
const account = privateKeyToAccount(
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
)

function setup() {
  const devnet = testDevnet()
  const client = createAlphaClient({ chain: devnet.chain, account })
  const publicClient = createPublicClient({ chain: devnet.chain, transport: http() })
  return { devnet, client, publicClient }
}

describe('infer', () => {
  test('default', async () => {
    const { client, publicClient } = setup()
    const result = await infer(client, {
      model: testModel,
      mode: InferenceMode.VANILLA,
      input: exampleInput,
    })
    expect(result.transactionHash).toMatch(/^0x[0-9a-f]{64}$/)
    expect(result.inferenceId).toMatch(/^0x[0-9a-f]{64}$/)
    expect(result.modelOutput.isSimulationResult).toBe(false)
    expect(result.modelOutput.numbers.num_output1).toMatchObject({ shape: [3], data: [11, 12, 13] })
    expect(result.modelOutput.numbers.num_output2).toMatchObject({ shape: [1], data: [10] })
    expect(result.modelOutput.strings.str_output1?.data).toEqual(['hello', 'ONNXY', ' world'])
    expect(result.modelOutput.strings.str_output2?.data).toEqual([' world'])

    // The receipt holds the precompile's event, then the hub's, as on the real chain.
    const receipt = await publicClient.getTransactionReceipt({ hash: result.transactionHash })
    expect(receipt.logs.map((log) => log.address.toLowerCase())).toEqual([
      inferencePrecompileAddress.toLowerCase(),
      inferenceHubAddress.toLowerCase(),
    ])
    const event = decodeEventLog({ abi: inferencePrecompileAbi, ...receipt.logs[0]! })
    expect(event.eventName).toBe('ModelInferenceEvent')
    expect((event.args as { inferenceID: string }).inferenceID).toBe(result.inferenceId)
  })

  test('behavior: a node without eth_sendRawTransactionSync gets classic sends from then on', async () => {
    const devnet = testDevnet()
    // A node that refuses the sync method: everything else goes to the devnet.
    const methods: string[] = []
    const node = createServer(async (request, response) => {
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      methods.push(body.method)
      const answer =
        body.method === 'eth_sendRawTransactionSync'
          ? { jsonrpc: '2.0', id: body.id, error: { code: -32601, message: 'Method not found' } }
          : await fetch(devnet.rpcUrl, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(body),
            }).then((forwarded) => forwarded.json())
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
    })
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(node.address() as AddressInfo).port}`
      const client = createAlphaClient({
        chain: devnet.chain,
        account,
        transport: http(url, { batch: false }),
      })
      expect(client.sendSync).toBe(true)
      for (const tag of [1, 2]) {
        const result = await infer(client, {
          model: testModel,
          mode: 'VANILLA',
          input: { ...exampleInput, num_input2: tag },
        })
        expect(result.modelOutput.numbers.num_output2?.data).toEqual([tag])
      }
      expect(methods.filter((method) => method === 'eth_sendRawTransactionSync')).toHaveLength(1)
      expect(methods.filter((method) => method === 'eth_sendRawTransaction')).toHaveLength(2)
    } finally {
      node.closeAllConnections()
      await new Promise((resolve) => node.close(resolve))
    }
  })

  test('behavior: eth_call of the same request returns the simulation answer', async () => {
    const { client, publicClient } = setup()
    const data = encodeFunctionData({
      abi: inferenceHubAbi,
      functionName: 'run',
      args: [
        testModel,
        0,
        {
          numbers: [{ name: 'num_input1', values: [{ value: 1n, decimals: 0n }], shape: [1] }],
          strings: [],
        },
      ],
    })
    const { data: returned } = await publicClient.call({ to: client.inferenceHubAddress, data })
    const output = decodeFunctionResult({
      abi: inferenceHubAbi,
      functionName: 'run',
      data: returned!,
    })
    expect(output).toEqual({ numbers: [], strings: [], jsons: [], is_simulation_result: true })
  })

  test('behavior: many concurrent calls from one account all succeed', async () => {
    const { client } = setup()
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        infer(client, {
          model: testModel,
          mode: 'VANILLA',
          input: { ...exampleInput, num_input2: index },
        }),
      ),
    )
    results.forEach((result, index) => {
      expect(result.modelOutput.numbers.num_output2?.data).toEqual([index])
    })
    expect(new Set(results.map((result) => result.transactionHash)).size).toBe(12)
  })

  test('args: mode by name, ZKML and TEE run the same computation', async () => {
    const { client } = setup()
    for (const mode of ['ZKML', 'TEE'] as const) {
      const result = await infer(client, { model: testModel, mode, input: exampleInput })
      expect(result.modelOutput.numbers.num_output1?.data).toEqual([11, 12, 13])
    }
  })

  test('error: unknown model reverts with the reason', async () => {
    const { client } = setup()
    const error = await infer(client, {
      model: 'QmUnknownModel',
      mode: 0,
      input: exampleInput,
    }).catch((e) => e)
    expect(error).toBeInstanceOf(TransactionFailedError)
    expect(error.revertReason).toMatch(/QmUnknownModel/)
    expect(error.transactionHash).toMatch(/^0x/)
  })

  test('error: missing input reverts with the reason', async () => {
    const { client } = setup()
    const { num_input2: _, ...input } = exampleInput
    const error = await infer(client, { model: testModel, mode: 0, input }).catch((e) => e)
    expect(error).toBeInstanceOf(TransactionFailedError)
    expect(error.revertReason).toMatch(/num_input2/)
  })

  test('error: wrong rank reverts with the reason', async () => {
    const { client } = setup()
    const error = await infer(client, {
      model: testModel,
      mode: 0,
      input: {
        ...exampleInput,
        num_input2: [
          [1, 2],
          [3, 4],
        ],
      },
    }).catch((e) => e)
    expect(error).toBeInstanceOf(TransactionFailedError)
    expect(error.revertReason).toMatch(/num_input2/)
  })

  test('error: NaN and decimals over 18 are refused before sending', async () => {
    const { client } = setup()
    await expect(
      infer(client, {
        model: testModel,
        mode: 0,
        input: { ...exampleInput, num_input1: [1, Number.NaN] },
      }),
    ).rejects.toBeInstanceOf(InvalidInputError)
    await expect(
      infer(client, { model: testModel, mode: 0, input: { ...exampleInput, num_input2: 1e-19 } }),
    ).rejects.toBeInstanceOf(InvalidInputError)
    // The devnet keeps serving after failures.
    const result = await infer(client, { model: testModel, mode: 0, input: exampleInput })
    expect(result.modelOutput.numbers.num_output1?.data).toEqual([11, 12, 13])
  })

  test('error: maxRetries below 1 is refused', async () => {
    const { client } = setup()
    const error = await infer(client, {
      model: testModel,
      mode: 0,
      input: exampleInput,
      maxRetries: 0,
    }).catch((e) => e)
    expect(error).toBeInstanceOf(BaseError)
    expect(error.name).toBe('InvalidInputError')
  })
})
