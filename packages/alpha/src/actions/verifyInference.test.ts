import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { defineDevnet } from '@opengradient/core'
import { createWalletClient, http, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import {
  ElementType,
  encodeModel,
  node,
  tensorValue,
} from '../../../devnet/scripts/onnx-builder.mjs'
import { createAlphaClient } from '../client/createAlphaClient.js'
import { infer } from './infer.js'
import { verifyInference } from './verifyInference.js'

// Built-in devnet models, by their content ids (the gateway serves files by CID only).
const mlpCid = 'QmQ9at5ASmwKgn1a4zULEbyPYfcfd4mmojevrvBEHrA3vH'
const testModelCid = 'QmfDq9TPsZWECmxpxb9o9wejDGDemiSM3uGs5XdBVQd4yC'
const testModelInput = {
  num_input1: [1.5, 2, 3],
  num_input2: 0.1,
  str_input1: ['hello', 'ONNXY'],
  str_input2: ' world',
}

const servers: Server[] = []
afterAll(() => {
  for (const server of servers) server.close()
})

/** A client for a fresh funded account, so no other test shares its nonces. */
async function setup() {
  const devnet = testDevnet()
  const account = privateKeyToAccount(generatePrivateKey())
  await fetch(devnet.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'anvil_setBalance',
      params: [account.address, `0x${parseEther('10').toString(16)}`],
    }),
  })
  return { devnet, account, client: createAlphaClient({ chain: devnet.chain, account }) }
}

describe('verifyInference', () => {
  test('default', async () => {
    const { client } = await setup()
    const { transactionHash, inferenceId } = await infer(client, {
      model: mlpCid,
      mode: 'VANILLA',
      input: { x: [[0.5, -1.25, 2, 0.1]] },
    })
    const result = await verifyInference(client, { transactionHash })
    expect(result).toEqual({
      verified: true,
      modelCid: mlpCid,
      inferenceId,
      mode: 0,
      outputs: [
        {
          name: 'probabilities',
          kind: 'number',
          matches: true,
          maxAbsDifference: expect.any(Number),
        },
      ],
    })
    // WebAssembly and the node's native kernels may differ in the last float32 bits of Softmax.
    expect(result.outputs[0]!.maxAbsDifference).toBeLessThan(1e-6)
  })

  test('args: strings and numbers, TEE mode, bound on the client', async () => {
    const { client } = await setup()
    const { transactionHash } = await client.infer({
      model: testModelCid,
      mode: 'TEE',
      input: testModelInput,
    })
    const result = await client.verifyInference({ transactionHash })
    expect(result.verified).toBe(true)
    expect(result.mode).toBe(2)
    expect(result.outputs.map(({ name, kind, matches }) => ({ name, kind, matches }))).toEqual([
      { name: 'num_output1', kind: 'number', matches: true },
      { name: 'num_output2', kind: 'number', matches: true },
      { name: 'str_output1', kind: 'string', matches: true },
      { name: 'str_output2', kind: 'string', matches: true },
    ])
  })

  test('behavior: a model that computes something else is not verified', async () => {
    const { client } = await setup()
    const { transactionHash } = await client.infer({
      model: testModelCid,
      mode: 'VANILLA',
      input: testModelInput,
    })
    // The same inputs and outputs, but num_output1 = num_input1 - num_input2.
    const other = encodeModel({
      name: 'other',
      inputs: [
        tensorValue('num_input1', ElementType.float, ['n']),
        tensorValue('num_input2', ElementType.float, [1]),
        tensorValue('str_input1', ElementType.string, ['s']),
        tensorValue('str_input2', ElementType.string, [1]),
      ],
      outputs: [
        tensorValue('num_output1', ElementType.float, ['n']),
        tensorValue('num_output2', ElementType.float, [1]),
        tensorValue('str_output1', ElementType.string, ['s']),
        tensorValue('str_output2', ElementType.string, [1]),
      ],
      nodes: [
        node('Sub', ['num_input1', 'num_input2'], ['num_output1']),
        node('Identity', ['num_input2'], ['num_output2']),
        node('Identity', ['str_input1'], ['str_output1']),
        node('Identity', ['str_input2'], ['str_output2']),
      ],
    })
    const requested: string[] = []
    const result = await verifyInference(client, {
      transactionHash,
      downloadModel: async ({ cid }) => {
        requested.push(cid)
        return other
      },
    })
    expect(requested).toEqual([testModelCid])
    expect(result.verified).toBe(false)
    const [sum, passed, concatenated] = result.outputs
    expect(sum).toMatchObject({ name: 'num_output1', matches: false })
    expect(sum!.maxAbsDifference).toBeCloseTo(0.2, 6)
    expect(passed).toMatchObject({ matches: true, maxAbsDifference: 0 })
    expect(concatenated).toMatchObject({
      matches: false,
      reason: 'The strings differ.',
      maxAbsDifference: Number.POSITIVE_INFINITY,
    })
  })

  test('error: a gateway serving other bytes is refused', async () => {
    const { devnet, account } = await setup()
    const server = createServer((_request, response) => response.end('not the model'))
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const base = defineDevnet({ rpcUrl: devnet.rpcUrl })
    const chain = {
      ...base,
      opengradient: {
        ...base.opengradient,
        ipfsGatewayUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ipfs/`,
      },
    }
    const client = createAlphaClient({ chain, account })
    const { transactionHash } = await client.infer({
      model: mlpCid,
      mode: 'VANILLA',
      input: { x: [[1, 2, 3, 4]] },
    })
    const error = await client.verifyInference({ transactionHash }).catch((error) => error)
    expect(error.name).toBe('IntegrityError')
    expect(error.expectedCid).toBe(mlpCid)
  })

  test('error: a transaction without an inference', async () => {
    const { devnet, account, client } = await setup()
    const wallet = createWalletClient({ chain: devnet.chain, account, transport: http() })
    const hash = await wallet.sendTransaction({ to: account.address, value: 1n })
    await client.publicClient.waitForTransactionReceipt({ hash })
    await expect(verifyInference(client, { transactionHash: hash })).rejects.toThrow(
      `The transaction "${hash}" ran no model inference.`,
    )
  })

  test('error: an unknown transaction', async () => {
    const { client } = await setup()
    const hash = `0x${'ab'.repeat(32)}` as const
    const error = await verifyInference(client, { transactionHash: hash }).catch((error) => error)
    expect(error.name).toBe('NotFoundError')
    expect(error.shortMessage).toBe(`The transaction "${hash}" has no receipt.`)
  })
})
