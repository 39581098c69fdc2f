import { inferenceHubAbi, inferencePrecompileAbi } from '@opengradient/contracts'
import { inferenceHubAddress, inferencePrecompileAddress } from '@opengradient/core'
import { decodeEventLog, toEventSelector } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import type { ChatMessage } from '../types.js'
import { createOnChainLlmClient } from './createOnChainLlmClient.js'
import { runLlmChatOnChain } from './runLlmChatOnChain.js'

// Account 9 of the dev mnemonic, as the completion tests (files of a project run one by one).
const account = privateKeyToAccount(
  '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
)

const topic = (abi: readonly unknown[], name: string) =>
  toEventSelector(
    (abi as { type: string; name: string }[]).find(
      (item) => item.type === 'event' && item.name === name,
    ) as never,
  )

describe('runLlmChatOnChain', () => {
  test('default', async () => {
    const client = createOnChainLlmClient({ chain: testDevnet().chain, account })
    const result = await runLlmChatOnChain(client, {
      model: 'meta-llama/Llama-3.1-70B-Instruct',
      messages: [{ role: 'user', content: 'Tell me about the weather.' }],
    })
    expect(result).toEqual({
      transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      inferenceId: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      finishReason: 'stop',
      message: {
        role: 'assistant',
        content: 'The weather is mild today.',
        name: '',
        toolCallId: '',
        toolCalls: [],
      },
      toolCalls: [],
    })
    const receipt = await client.publicClient.getTransactionReceipt({
      hash: result.transactionHash,
    })
    expect(receipt.logs.map((log) => [log.address.toLowerCase(), log.topics[0]])).toEqual([
      [inferencePrecompileAddress.toLowerCase(), topic(inferencePrecompileAbi, 'LLMChat')],
      [inferenceHubAddress.toLowerCase(), topic(inferenceHubAbi, 'LLMChatResult')],
    ])
    expect(receipt.logs.map((log) => log.topics[0])).toEqual([
      '0x4c92d3df7819fcd1c9f9663332f0a599a65eefdad2eaf9193cffb9dbf1919c3b',
      '0x53fcd580be8545626a896d86eb76e16597d793de715dda5d21df71d303d1ff96',
    ])
  })

  test('behavior: a history with tool calls and tools goes on chain as flat structs', async () => {
    const client = createOnChainLlmClient({ chain: testDevnet().chain, account })
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city": "Paris"}' },
          },
        ],
      },
      { role: 'tool', content: '{"sky": "clear"}', tool_call_id: 'call_1' },
      { role: 'user', content: 'And tomorrow?' },
    ]
    const copy = structuredClone(messages)
    const result = await runLlmChatOnChain(client, {
      model: 'devnet/script',
      messages,
      tools: [{ type: 'function', function: { name: 'get_weather' } }],
      maxTokens: 50,
    })
    expect(messages).toEqual(copy)
    expect(result.message.content).toBe('You said: And tomorrow?')
    const receipt = await client.publicClient.getTransactionReceipt({
      hash: result.transactionHash,
    })
    const event = decodeEventLog({ abi: inferencePrecompileAbi, ...receipt.logs[0]! })
    expect(event.args).toMatchObject({
      request: {
        messages: [
          {
            role: 'user',
            content: 'Weather in Paris?',
            name: '',
            tool_call_id: '',
            tool_calls: [],
          },
          {
            role: 'assistant',
            content: '',
            name: '',
            tool_call_id: '',
            tool_calls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city": "Paris"}' }],
          },
          {
            role: 'tool',
            content: '{"sky": "clear"}',
            name: '',
            tool_call_id: 'call_1',
            tool_calls: [],
          },
          { role: 'user', content: 'And tomorrow?', name: '', tool_call_id: '', tool_calls: [] },
        ],
        tools: [{ description: '', name: 'get_weather', parameters: '{}' }],
        tool_choice: 'auto',
        max_tokens: 50,
        temperature: 0,
      },
    })
  })
})
