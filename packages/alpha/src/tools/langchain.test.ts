import { BaseChatModel } from '@langchain/core/language_models/chat_models'
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  type ToolMessage,
} from '@langchain/core/messages'
import type { ChatResult } from '@langchain/core/outputs'
import {
  type Address,
  CandleOrder,
  CandleType,
  InvalidInputError,
  toFloat32,
} from '@opengradient/core'
import { privateKeyToAccount } from 'viem/accounts'
import { beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { testDevnet } from '../../../../test/devnet.js'
import { devnetAdmin, logReturnVolatility } from '../../../../test/devnetAdmin.js'
import { newWorkflow } from '../actions/newWorkflow.js'
import { runWorkflow } from '../actions/runWorkflow.js'
import { createAlphaClient } from '../client/createAlphaClient.js'
import { formatPercentage } from '../utils/formatPercentage.js'
import { createReadWorkflowTool, createRunModelTool } from './langchain.js'

// Account 4 of the dev mnemonic: other test files use other accounts.
const account = privateKeyToAccount(
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
)
const volatilityModel = 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N'

type Turn = (messages: BaseMessage[]) => AIMessage

/** A chat model that answers from a script, one turn per call, and records what it was sent. */
class ScriptedChatModel extends BaseChatModel {
  readonly turns: Turn[]
  readonly received: BaseMessage[][] = []
  boundToolNames: string[] = []

  constructor(turns: Turn[]) {
    super({})
    this.turns = turns
  }

  _llmType(): string {
    return 'scripted'
  }

  override bindTools(tools: { name: string }[]) {
    this.boundToolNames = tools.map((tool) => tool.name)
    return this
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.received.push(messages)
    const turn = this.turns.shift()
    if (!turn) throw new Error('The script has no more turns.')
    const message = turn(messages)
    return { generations: [{ text: String(message.content), message }] }
  }
}

let workflow: Address
let client: ReturnType<typeof createAlphaClient>

async function lastCandles(base: string) {
  const { candles } = await devnetAdmin<{
    candles: { open: string; high: string; low: string; close: string }[]
  }>(testDevnet().rpcUrl, 'og_getCandles', {
    base,
    quote: 'USDT',
    totalCandles: 10,
    candleTypes: ['OPEN', 'HIGH', 'LOW', 'CLOSE'],
  })
  return candles.map((candle) => [candle.open, candle.high, candle.low, candle.close].map(Number))
}

beforeAll(async () => {
  client = createAlphaClient({ chain: testDevnet().chain, account })
  ;({ address: workflow } = await newWorkflow(client, {
    model: volatilityModel,
    inputTensorName: 'open_high_low_close',
    inputQuery: {
      base: 'BTC',
      quote: 'USDT',
      totalCandles: 10,
      candleDurationInMinutes: 60,
      order: CandleOrder.ASCENDING,
      candleTypes: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
    },
  }))
  await runWorkflow(client, { address: workflow })
})

describe('LangChain tools', () => {
  test('default: an agent loop calls both tools and gets their formatted answers', async () => {
    const inputs: unknown[] = []
    let candles: number[][] = []
    const volatility = createRunModelTool({
      client,
      model: volatilityModel,
      name: 'eth_volatility',
      description: 'Volatility of a token over the last ten hours',
      schema: z.object({ token: z.enum(['ethereum', 'bitcoin']) }),
      inputProvider: async ({ token }: { token: 'ethereum' | 'bitcoin' }) => {
        inputs.push(token)
        candles = await lastCandles(token === 'ethereum' ? 'ETH' : 'BTC')
        return { open_high_low_close: candles }
      },
      outputFormatter: ({ modelOutput, transactionHash }) => {
        expect(transactionHash).toMatch(/^0x[0-9a-f]{64}$/)
        return formatPercentage(Math.fround(modelOutput.numbers.Y!.data[0]!), 3)
      },
    })
    const forecast = createReadWorkflowTool({
      client,
      address: workflow,
      name: 'btc_volatility_forecast',
      description: 'The latest one-hour BTC volatility forecast',
      outputFormatter: (output) => formatPercentage(toFloat32(output.numbers.Y!.raw[0]!)),
    })
    const tools = { [volatility.name]: volatility, [forecast.name]: forecast }

    const chatModel = new ScriptedChatModel([
      () =>
        new AIMessage({
          content: '',
          tool_calls: [
            {
              id: 'call_1',
              name: 'eth_volatility',
              args: { token: 'ethereum' },
              type: 'tool_call',
            },
            { id: 'call_2', name: 'btc_volatility_forecast', args: {}, type: 'tool_call' },
          ],
        }),
      (messages) =>
        new AIMessage(
          `ETH: ${messages.at(-2)?.content}, BTC forecast: ${messages.at(-1)?.content}`,
        ),
    ])
    const agent = chatModel.bindTools(Object.values(tools))
    expect(chatModel.boundToolNames).toEqual(['eth_volatility', 'btc_volatility_forecast'])

    const messages: BaseMessage[] = [new HumanMessage('How volatile are ETH and BTC?')]
    for (let turn = 0; turn < 4; turn++) {
      const reply = await agent.invoke(messages)
      messages.push(reply)
      if (!reply.tool_calls?.length) break
      for (const call of reply.tool_calls) {
        messages.push((await tools[call.name]!.invoke(call)) as ToolMessage)
      }
    }

    expect(inputs).toEqual(['ethereum'])
    const [runAnswer, readAnswer] = messages.slice(2, 4) as ToolMessage[]
    expect(runAnswer?.tool_call_id).toBe('call_1')
    expect(readAnswer?.tool_call_id).toBe('call_2')
    // The model's float32 volatility against the same candles' float64 volatility.
    const expected = logReturnVolatility(candles.map((row) => row[3]!))
    expect(String(runAnswer?.content)).toMatch(/^\d+\.\d{3}%$/)
    expect(Number.parseFloat(String(runAnswer?.content))).toBeCloseTo(expected * 100, 2)
    const latest = await client.readWorkflowResult({ address: workflow })
    expect(readAnswer?.content).toBe(
      formatPercentage(toFloat32(latest.modelOutput.numbers.Y!.raw[0]!)),
    )
    expect(messages.at(-1)?.content).toBe(
      `ETH: ${runAnswer?.content}, BTC forecast: ${readAnswer?.content}`,
    )
  })

  test('behavior: schemas and defaults', async () => {
    const run = createRunModelTool({
      client,
      model: volatilityModel,
      name: 'volatility',
      inputProvider: () => ({}),
      outputFormatter: () => '',
    })
    expect(run.description).toBe('Executes the given ML model')
    const read = createReadWorkflowTool({
      client,
      address: workflow,
      name: 'read',
      description: 'Reads the workflow',
    })
    // The default formatter: the output as JSON with exact values.
    const text = String(await read.invoke({}))
    expect(JSON.parse(text)).toMatchObject({
      numbers: {
        Y: { shape: [1], raw: [{ value: expect.any(String), decimals: expect.any(String) }] },
      },
      isSimulationResult: false,
    })
  })

  test('error: a tool needs a client', () => {
    expect(() =>
      createReadWorkflowTool({
        client: undefined as never,
        address: workflow,
        name: 'read',
        description: 'Reads the workflow',
      }),
    ).toThrowError(InvalidInputError)
  })
})
