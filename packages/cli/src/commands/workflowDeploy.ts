import { SchedulerRegistrationError } from '@opengradient/alpha'
import { CandleOrder, CandleType, type SchedulerParams } from '@opengradient/core'
import type { CommandContext } from '../context.js'
import { CliUsageError } from '../errors.js'
import {
  addressLink,
  isoTime,
  parsePositiveInteger,
  parsePositiveNumber,
  workflowClient,
} from './workflowShared.js'

export type WorkflowDeployOptions = {
  model: string
  inputName: string
  base: string
  quote?: string | undefined
  candles: string
  candleMinutes?: string | undefined
  order?: string | undefined
  types?: string | undefined
  frequency?: string | undefined
  durationHours?: string | undefined
}

/**
 * `og workflow deploy`: deploys a workflow that feeds candles to a model, and schedules it when
 * `--frequency` or `--duration-hours` is given (600 seconds and 2 hours by default).
 *
 * @example
 * ```sh
 * og workflow deploy --model QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N --input-name open_high_low_close \
 *   --base ETH --quote USDT --candles 10 --candle-minutes 60 --order ascending --types open,high,low,close \
 *   --frequency 3600 --duration-hours 24
 * og workflow deploy … --json   # {"address":"0x…","transactionHash":"0x…","task":{…}}
 * ```
 */
export async function workflowDeploy(
  context: CommandContext,
  options: WorkflowDeployOptions,
): Promise<void> {
  const inputQuery = {
    base: options.base,
    quote: options.quote ?? 'USDT',
    totalCandles: parsePositiveInteger(options.candles, '--candles'),
    candleDurationInMinutes: parsePositiveInteger(
      options.candleMinutes ?? '60',
      '--candle-minutes',
    ),
    order: parseOrder(options.order ?? 'ascending'),
    candleTypes: parseCandleTypes(options.types ?? 'open,high,low,close'),
  }
  const scheduled = options.frequency !== undefined || options.durationHours !== undefined
  const scheduler: SchedulerParams | undefined = scheduled
    ? {
        frequency: parsePositiveInteger(options.frequency ?? '600', '--frequency'),
        durationHours: parsePositiveNumber(options.durationHours ?? '2', '--duration-hours'),
      }
    : undefined

  const client = await workflowClient(context)
  if (!context.json) {
    context.print(`Deploying a workflow for model "${options.model}"`)
    context.print()
  }
  let result: Awaited<ReturnType<typeof client.newWorkflow>>
  try {
    result = await client.newWorkflow({
      model: options.model,
      inputTensorName: options.inputName,
      inputQuery,
      scheduler,
    })
  } catch (error) {
    if (error instanceof SchedulerRegistrationError && !context.json) {
      context.print(`✅ Workflow deployed at: ${error.address}`)
      context.print(
        `❌ Scheduling it failed; it can still be run with: og workflow run ${error.address}`,
      )
    }
    throw error
  }
  if (context.json) {
    context.printJson(result)
    return
  }
  context.print('✅ Workflow deployed')
  context.print('──────────────────────────────────────')
  context.print(`Address: ${result.address}`)
  context.print(`Transaction hash: ${result.transactionHash.slice(2)}`)
  const link = addressLink(client, result.address)
  if (link) context.print(`Block explorer link: ${link}`)
  if (result.task) {
    context.print()
    context.print('⏰ Scheduled')
    context.print(`   • Frequency: every ${result.task.frequency} seconds`)
    context.print(`   • End time: ${isoTime(result.task.endTime)}`)
    context.print(`   • Transaction hash: ${result.task.transactionHash.slice(2)}`)
  } else {
    context.print()
    context.print(`Run it with: og workflow run ${result.address}`)
  }
}

function parseOrder(value: string): CandleOrder {
  const order = CandleOrder[value.trim().toUpperCase() as keyof typeof CandleOrder]
  if (order === undefined) {
    throw new CliUsageError(`"${value}" is not a candle order.`, {
      metaMessages: ['Use ascending (oldest first) or descending (newest first).'],
    })
  }
  return order
}

function parseCandleTypes(value: string): CandleType[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  if (names.length === 0) throw new CliUsageError('--types must name at least one candle field.')
  return names.map((name) => {
    const type = CandleType[name.toUpperCase() as keyof typeof CandleType]
    if (type === undefined) {
      throw new CliUsageError(`"${name}" is not a candle field.`, {
        metaMessages: ['Use open, high, low, close and volume, comma-separated, in column order.'],
      })
    }
    return type
  })
}
