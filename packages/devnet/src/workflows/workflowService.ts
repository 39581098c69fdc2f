// The devnet's workflow feature: the price-history precompile's off-chain side, its market data
// and clock, the scheduler's executor, admin JSON-RPC methods and the reference workflows.
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  type Address,
  CandleOrder,
  CandleType,
  type Hex,
  type HistoricalInputQuery,
  InvalidInputError,
  priceHistoryPrecompileAddress,
  taskSchedulerAddress,
} from '@opengradient/core'
import { builtinModelPath } from '../models/builtin.js'
import { createJsonRpcClient } from '../rpc/jsonRpc.js'
import type { DevnetServiceContext, DevnetServiceFactory } from '../service.js'
import { type AdminMethod, createAdminRoute } from './adminRoute.js'
import { createSchedulerExecutor, type SchedulerExecutor, type SchedulerRun } from './executor.js'
import { type CandleInput, createPriceFeed } from './priceFeed.js'
import { createPriceHistoryPrecompileHandler } from './priceHistoryPrecompile.js'
import {
  installReferenceWorkflows,
  type ReferenceWorkflow,
  workflowModels,
} from './referenceWorkflows.js'

/** The name of the workflow service; a service of this name given to `startDevnet` replaces it. */
export const workflowServiceName = 'workflows'

/** Options of {@link createWorkflowService}. */
export type WorkflowServiceOptions = {
  /**
   * Recorded candles by pair (`SOL/USDT`), as Binance kline CSV files (the full files of the
   * protocol reference work), replacing or adding to the shipped ETH/USDT and BTC/USDT data.
   */
  csvFiles?: Readonly<Record<string, string>> | undefined
  /** Mixed into the synthetic pairs' seeds. @default 0 */
  seed?: number | undefined
  /**
   * Seconds subtracted from block time to get the price feed's time. Saved in the data
   * directory, and kept across restarts unless given again.
   * @default 0
   */
  clockOffsetSeconds?: number | undefined
  /** Send scheduled `run()` calls in the background. @default true */
  executor?: boolean | undefined
  /** Milliseconds between the executor's checks of the tasks. @default 1000 */
  executorIntervalMs?: number | undefined
  /**
   * Install look-alikes of the Alpha testnet's pre-deployed workflows at their addresses when
   * the devnet starts, run each once and schedule them hourly.
   * @default false
   */
  referenceWorkflows?: boolean | undefined
}

/** What `og_installReferenceWorkflows` reports for each workflow. */
export type InstalledReferenceWorkflow = {
  name: string
  address: Address
  modelId: string
  outputName: string
  run?: SchedulerRun | undefined
  schedule?: { transactionHash: Hex; endTime: bigint; frequency: number } | undefined
}

type SavedState = { clockOffsetSeconds?: number }

const referenceFrequencySeconds = 3600
const referenceDurationSeconds = 10 * 365 * 86_400

/**
 * Creates the devnet's workflow service. It answers the calls of the price-history precompile
 * `0xF5` from market data (the shipped ETH/USDT and BTC/USDT hours, a seeded random walk for
 * other pairs, candles pushed by tests), replayed on a clock that follows block time; it runs
 * the scheduler's due tasks from the last dev account; and it adds these JSON-RPC methods:
 *
 * - `og_pushCandles({ base, quote, candleDurationInMinutes?, candles, replace? })`: candles
 *   that answer the pair's queries ahead of any source (the last `total_candles` pushed).
 * - `og_clearCandles({ base, quote }?)`: drops pushed candles.
 * - `og_getCandles(query)`: what a query returns now, with timestamps.
 * - `og_getPriceFeedClock()` / `og_setPriceFeedClock({ offsetSeconds } | { feedTimestamp })`:
 *   the feed's time is the pending block's time minus the offset.
 * - `og_runScheduler({ advanceSeconds? }?)`: moves block time forward, then runs every due task
 *   once and returns the runs.
 * - `og_schedulerRuns()`: the executor's last runs.
 * - `og_installReferenceWorkflows({ run?, schedule? }?)`: installs the look-alikes of the
 *   Alpha testnet's pre-deployed workflows.
 *
 * @example
 * ```ts
 * import { createWorkflowService, startDevnet } from '@opengradient/devnet'
 *
 * const devnet = await startDevnet({
 *   services: [createWorkflowService({ referenceWorkflows: true, clockOffsetSeconds: 86_400 })],
 * })
 * ```
 */
export function createWorkflowService(options: WorkflowServiceOptions = {}): DevnetServiceFactory {
  return (context: DevnetServiceContext) => {
    const { anvil } = context
    const feed = createPriceFeed({ csvFiles: options.csvFiles, seed: options.seed })
    const stateFile = join(context.dataDir, 'workflows.json')
    let offsetSeconds = 0
    let executor: SchedulerExecutor | undefined

    async function pendingTime(): Promise<number> {
      const block = await anvil.request<{ timestamp: Hex }>('eth_getBlockByNumber', [
        'pending',
        false,
      ])
      return Number(block.timestamp)
    }

    async function saveState(): Promise<void> {
      const state: SavedState = { clockOffsetSeconds: offsetSeconds }
      await writeFile(stateFile, `${JSON.stringify(state)}\n`)
    }

    async function clock() {
      const blockTimestamp = await pendingTime()
      return { offsetSeconds, blockTimestamp, feedTimestamp: blockTimestamp - offsetSeconds }
    }

    function started(): SchedulerExecutor {
      if (!executor) throw new Error('The devnet has not started yet.')
      return executor
    }

    async function installReference(parameters: {
      run?: boolean | undefined
      schedule?: boolean | undefined
    }): Promise<InstalledReferenceWorkflow[]> {
      const installed = await installReferenceWorkflows({ anvil })
      const report: InstalledReferenceWorkflow[] = []
      for (const workflow of installed) {
        const entry: InstalledReferenceWorkflow = describeWorkflow(workflow)
        if (parameters.run ?? true) entry.run = await started().runNow(workflow.address)
        if (parameters.schedule ?? true) {
          const schedule = await started().registerTask(workflow.address, {
            frequency: referenceFrequencySeconds,
            durationSeconds: referenceDurationSeconds,
          })
          entry.schedule = { ...schedule, frequency: referenceFrequencySeconds }
        }
        report.push(entry)
      }
      return report
    }

    const methods: Record<string, AdminMethod> = {
      async og_pushCandles([parameters]) {
        const input = objectParameter(parameters, 'og_pushCandles')
        const stored = feed.push({
          base: stringField(input, 'base'),
          quote: stringField(input, 'quote'),
          candleDurationInMinutes: optionalNumber(input, 'candleDurationInMinutes'),
          candles: arrayField(input, 'candles') as CandleInput[],
          replace: input.replace === true,
        })
        return { stored }
      },
      async og_clearCandles([parameters]) {
        if (parameters === undefined || parameters === null) feed.clear()
        else {
          const input = objectParameter(parameters, 'og_clearCandles')
          feed.clear({ base: stringField(input, 'base'), quote: stringField(input, 'quote') })
        }
        return true
      },
      async og_getCandles([parameters]) {
        const query = queryParameter(parameters)
        const { feedTimestamp } = await clock()
        return {
          feedTimestamp,
          source: feed.sourceKind(query.base, query.quote, query.candleDurationInMinutes),
          candles: feed.candles(query, feedTimestamp),
        }
      },
      og_getPriceFeedClock: () => clock(),
      async og_setPriceFeedClock([parameters]) {
        const input = objectParameter(parameters, 'og_setPriceFeedClock')
        const offset = optionalNumber(input, 'offsetSeconds')
        const feedTimestamp = optionalNumber(input, 'feedTimestamp')
        if ((offset === undefined) === (feedTimestamp === undefined)) {
          throw new InvalidInputError('Pass either "offsetSeconds" or "feedTimestamp".')
        }
        offsetSeconds =
          offset ?? (await pendingTime()) - (feedTimestamp as number) /* checked above */
        await saveState()
        return clock()
      },
      async og_runScheduler([parameters]) {
        const input =
          parameters === undefined || parameters === null
            ? {}
            : objectParameter(parameters, 'og_runScheduler')
        const advanceSeconds = optionalNumber(input, 'advanceSeconds')
        if (advanceSeconds !== undefined && advanceSeconds < 0) {
          throw new InvalidInputError(
            '"advanceSeconds" cannot be negative: block time only moves forward.',
          )
        }
        return started().runDue({ advanceSeconds })
      },
      og_schedulerRuns: async () => started().recentRuns(),
      async og_installReferenceWorkflows([parameters]) {
        const input =
          parameters === undefined || parameters === null
            ? {}
            : objectParameter(parameters, 'og_installReferenceWorkflows')
        return installReference({
          run: input.run === undefined ? undefined : input.run === true,
          schedule: input.schedule === undefined ? undefined : input.schedule === true,
        })
      },
    }

    return {
      name: workflowServiceName,
      routes: [createAdminRoute(methods)],
      precompileHandlers: {
        [priceHistoryPrecompileAddress]: createPriceHistoryPrecompileHandler({
          feed,
          feedTime: async () => (await pendingTime()) - offsetSeconds,
          runInferenceOnPriceFeed: context.engine.runInferenceOnPriceFeed,
          results: context.results,
        }),
      },
      async prepare() {
        if (existsSync(stateFile)) {
          try {
            const saved = JSON.parse(await readFile(stateFile, 'utf8')) as SavedState
            if (Number.isInteger(saved.clockOffsetSeconds)) {
              offsetSeconds = saved.clockOffsetSeconds as number
            }
          } catch {
            // An unreadable state file only loses the clock setting.
          }
        }
        if (options.clockOffsetSeconds !== undefined) {
          offsetSeconds = Math.trunc(options.clockOffsetSeconds)
          await saveState()
        }
        for (const model of workflowModels) {
          if (!(await context.models.has(model.cid))) {
            await context.models.add(builtinModelPath(model.fileName), { name: model.name })
          }
        }
      },
      async start(startedContext) {
        const account = context.accounts.at(-1)
        if (!account) throw new Error('The devnet has no dev account for the workflow executor.')
        executor = createSchedulerExecutor({
          anvil,
          front: createJsonRpcClient(startedContext.rpcUrl),
          account,
          chainId: context.chainId,
          schedulerAddress: taskSchedulerAddress,
          intervalMs: options.executorIntervalMs,
        })
        if (options.executor ?? true) executor.start()
        if (options.referenceWorkflows) await installReference({})
      },
      async stop() {
        await executor?.stop()
      },
    }
  }
}

function describeWorkflow(workflow: ReferenceWorkflow): InstalledReferenceWorkflow {
  return {
    name: workflow.name,
    address: workflow.address,
    modelId: workflow.modelId,
    outputName: workflow.outputName,
  }
}

type JsonObject = Record<string, unknown>

function objectParameter(value: unknown, method: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(`${method} takes one object parameter.`)
  }
  return value as JsonObject
}

function stringField(input: JsonObject, name: string): string {
  const value = input[name]
  if (typeof value !== 'string' || !value.trim()) {
    throw new InvalidInputError(`"${name}" must be a non-empty string.`)
  }
  return value
}

function optionalNumber(input: JsonObject, name: string): number | undefined {
  const value = input[name]
  if (value === undefined || value === null) return undefined
  const number = typeof value === 'string' ? Number(value) : value
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw new InvalidInputError(`"${name}" must be a number.`)
  }
  return number
}

function arrayField(input: JsonObject, name: string): unknown[] {
  const value = input[name]
  if (!Array.isArray(value)) throw new InvalidInputError(`"${name}" must be an array.`)
  return value
}

const candleTypeNames = Object.keys(CandleType) as (keyof typeof CandleType)[]

/** A query as `og_getCandles` takes it: numbers or names for the order and candle types. */
function queryParameter(value: unknown): HistoricalInputQuery {
  const input = objectParameter(value, 'og_getCandles')
  const order = input.order ?? CandleOrder.ASCENDING
  const types = input.candleTypes ?? ['OPEN', 'HIGH', 'LOW', 'CLOSE', 'VOLUME']
  if (!Array.isArray(types)) throw new InvalidInputError('"candleTypes" must be an array.')
  return {
    base: stringField(input, 'base'),
    quote: stringField(input, 'quote'),
    totalCandles: optionalNumber(input, 'totalCandles') ?? 1,
    candleDurationInMinutes: optionalNumber(input, 'candleDurationInMinutes') ?? 60,
    order: (typeof order === 'string'
      ? CandleOrder[order.toUpperCase() as keyof typeof CandleOrder]
      : order) as CandleOrder,
    candleTypes: types.map((type) =>
      typeof type === 'string' && candleTypeNames.includes(type.toUpperCase() as never)
        ? CandleType[type.toUpperCase() as keyof typeof CandleType]
        : (type as CandleType),
    ),
  }
}
