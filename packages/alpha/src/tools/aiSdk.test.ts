import {
  type Address,
  CandleOrder,
  CandleType,
  InvalidInputError,
  toFloat32,
} from '@opengradient/core'
import { generateText, stepCountIs } from 'ai'
import { MockLanguageModelV3 } from 'ai/test'
import { privateKeyToAccount } from 'viem/accounts'
import { beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { testDevnet } from '../../../../test/devnet.js'
import { devnetAdmin, logReturnVolatility } from '../../../../test/devnetAdmin.js'
import { newWorkflow } from '../actions/newWorkflow.js'
import { runWorkflow } from '../actions/runWorkflow.js'
import { createAlphaClient } from '../client/createAlphaClient.js'
import { formatPercentage } from '../utils/formatPercentage.js'
import { createReadWorkflowTool, createRunModelTool } from './aiSdk.js'

// Account 4 of the dev mnemonic: other test files use other accounts.
const account = privateKeyToAccount(
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
)
const volatilityModel = 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N'
const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
}

let workflow: Address
let client: ReturnType<typeof createAlphaClient>

beforeAll(async () => {
  client = createAlphaClient({ chain: testDevnet().chain, account })
  ;({ address: workflow } = await newWorkflow(client, {
    model: volatilityModel,
    inputTensorName: 'open_high_low_close',
    inputQuery: {
      base: 'ETH',
      quote: 'USDT',
      totalCandles: 10,
      candleDurationInMinutes: 60,
      order: CandleOrder.ASCENDING,
      candleTypes: [CandleType.OPEN, CandleType.HIGH, CandleType.LOW, CandleType.CLOSE],
    },
  }))
  await runWorkflow(client, { address: workflow })
})

describe('AI SDK tools', () => {
  test('default: generateText calls both tools and feeds their answers back', async () => {
    let closes: number[] = []
    const tools = {
      token_volatility: createRunModelTool({
        client,
        model: volatilityModel,
        description: 'Volatility of a token over the last ten hours',
        inputSchema: z.object({ token: z.enum(['ethereum', 'bitcoin']) }),
        inputProvider: async ({ token }) => {
          const { candles } = await devnetAdmin<{
            candles: { open: string; high: string; low: string; close: string }[]
          }>(testDevnet().rpcUrl, 'og_getCandles', {
            base: token === 'ethereum' ? 'ETH' : 'BTC',
            quote: 'USDT',
            totalCandles: 10,
          })
          closes = candles.map((candle) => Number(candle.close))
          return {
            open_high_low_close: candles.map((candle) =>
              [candle.open, candle.high, candle.low, candle.close].map(Number),
            ),
          }
        },
        outputFormatter: ({ modelOutput }) =>
          formatPercentage(Math.fround(modelOutput.numbers.Y!.data[0]!), 3),
      }),
      eth_volatility_forecast: createReadWorkflowTool({
        client,
        address: workflow,
        description: 'The latest one-hour ETH volatility forecast',
        outputFormatter: (output) => formatPercentage(toFloat32(output.numbers.Y!.raw[0]!)),
      }),
    }
    const model = new MockLanguageModelV3({
      doGenerate: [
        {
          content: [
            {
              type: 'tool-call',
              toolCallId: 'call_1',
              toolName: 'token_volatility',
              input: JSON.stringify({ token: 'bitcoin' }),
            },
            {
              type: 'tool-call',
              toolCallId: 'call_2',
              toolName: 'eth_volatility_forecast',
              input: '{}',
            },
          ],
          finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
          usage,
          warnings: [],
        },
        {
          content: [{ type: 'text', text: 'Both are calm.' }],
          finishReason: { unified: 'stop', raw: 'stop' },
          usage,
          warnings: [],
        },
      ],
    })

    const result = await generateText({
      model,
      tools,
      prompt: 'How volatile are BTC and ETH?',
      stopWhen: stepCountIs(3),
    })

    expect(result.text).toBe('Both are calm.')
    expect(result.steps).toHaveLength(2)
    const outputs = Object.fromEntries(
      result.steps[0]!.toolResults.map((toolResult) => [toolResult.toolName, toolResult.output]),
    )
    expect(String(outputs.token_volatility)).toMatch(/^\d+\.\d{3}%$/)
    expect(Number.parseFloat(String(outputs.token_volatility))).toBeCloseTo(
      logReturnVolatility(closes) * 100,
      2,
    )
    const latest = await client.readWorkflowResult({ address: workflow })
    expect(outputs.eth_volatility_forecast).toBe(
      formatPercentage(toFloat32(latest.modelOutput.numbers.Y!.raw[0]!)),
    )
    // The model's second call carried the tool answers.
    const toolMessages = model.doGenerateCalls[1]!.prompt.filter(
      (message) => message.role === 'tool',
    )
    expect(JSON.stringify(toolMessages)).toContain(String(outputs.eth_volatility_forecast))
    // And its first call saw both tools with their input schemas.
    expect(model.doGenerateCalls[0]!.tools?.map((tool) => tool.name)).toEqual([
      'token_volatility',
      'eth_volatility_forecast',
    ])
  })

  test('behavior: defaults', async () => {
    const read = createReadWorkflowTool({ client, address: workflow, description: 'Reads' })
    const text = await read.execute!({}, { toolCallId: 'call', messages: [] })
    expect(JSON.parse(String(text))).toMatchObject({ numbers: { Y: { shape: [1] } } })
    const run = createRunModelTool({
      client,
      model: volatilityModel,
      inputProvider: () => ({}),
      outputFormatter: () => '',
    })
    expect(run.description).toBe('Executes the given ML model')
  })

  test('error: a tool needs a client', () => {
    expect(() =>
      createRunModelTool({
        client: undefined as never,
        model: volatilityModel,
        inputProvider: () => ({}),
        outputFormatter: () => '',
      }),
    ).toThrowError(InvalidInputError)
  })
})
