import { inferenceHubAbi, inferencePrecompileAbi } from '@opengradient/contracts'
import { inferenceHubAddress, inferencePrecompileAddress, LLM } from '@opengradient/core'
import { decodeEventLog, decodeFunctionData, toEventSelector } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { createOnChainLlmClient } from './createOnChainLlmClient.js'
import { runLlmCompletionOnChain } from './runLlmCompletionOnChain.js'

// Account 9 of the dev mnemonic: other test files use other accounts.
const account = privateKeyToAccount(
  '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
)

const topic = (abi: readonly unknown[], name: string) =>
  toEventSelector(
    (abi as { type: string; name: string }[]).find(
      (item) => item.type === 'event' && item.name === name,
    ) as never,
  )

describe('runLlmCompletionOnChain', () => {
  test('default', async () => {
    const client = createOnChainLlmClient({ chain: testDevnet().chain, account })
    const result = await runLlmCompletionOnChain(client, {
      model: LLM.META_LLAMA_3_8B_INSTRUCT,
      prompt: 'The river',
      maxTokens: 10,
    })
    expect(result).toEqual({
      transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      inferenceId: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      text: ' is a small harbor.',
    })

    // The receipt holds the precompile's event, then the hub's, as on the real chain.
    const receipt = await client.publicClient.getTransactionReceipt({
      hash: result.transactionHash,
    })
    expect(receipt.logs.map((log) => [log.address.toLowerCase(), log.topics[0]])).toEqual([
      [
        inferencePrecompileAddress.toLowerCase(),
        topic(inferencePrecompileAbi, 'LLMCompletionEvent'),
      ],
      [inferenceHubAddress.toLowerCase(), topic(inferenceHubAbi, 'LLMCompletionResult')],
    ])
    expect(topic(inferencePrecompileAbi, 'LLMCompletionEvent')).toBe(
      '0x51fe69d513d73ecde3fa3bf17584f7d2acfd5f0b13d367e898d6e11e742127a3',
    )
    const event = decodeEventLog({ abi: inferencePrecompileAbi, ...receipt.logs[0]! })
    expect(event.args).toMatchObject({
      inferenceID: result.inferenceId,
      request: {
        mode: 0,
        modelCID: LLM.META_LLAMA_3_8B_INSTRUCT,
        prompt: 'The river',
        max_tokens: 10,
        stop_sequence: [],
        temperature: 0,
      },
      response: { answer: ' is a small harbor.' },
    })
  })

  test('args: mode, stop, temperatureRounding', async () => {
    const client = createOnChainLlmClient({ chain: testDevnet().chain, account })
    const result = await client.runLlmCompletionOnChain({
      model: 'devnet/tiny',
      prompt: 'The river',
      mode: 'TEE',
      stop: [' small'],
      temperature: 0.29,
      temperatureRounding: 'truncate',
    })
    // Sampled (temperature 0.28 on the devnet), cut before the stop sequence.
    expect(result.text.length).toBeGreaterThan(0)
    expect(result.text).not.toContain(' small')
    const transaction = await client.publicClient.getTransaction({ hash: result.transactionHash })
    const { args } = decodeFunctionData({ abi: inferenceHubAbi, data: transaction.input })
    expect(args[0]).toMatchObject({ mode: 1, stop_sequence: [' small'], temperature: 28 })
    expect(transaction.chainId).toBe(testDevnet().chain.id)
  })

  test('error: a model the devnet does not serve reverts with the reason', async () => {
    const client = createOnChainLlmClient({ chain: testDevnet().chain, account })
    const error = await runLlmCompletionOnChain(client, {
      model: 'nobody/none',
      prompt: 'x',
    }).catch((error) => error)
    expect(error.name).toBe('TransactionFailedError')
    expect(error.revertReason).toBe('Model not supported: Unknown model "nobody/none".')
    expect(error.transactionHash).toMatch(/^0x/)
  })
})
