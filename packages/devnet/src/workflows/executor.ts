// The devnet's stand-in for the network's off-chain workflow executor: it reads the scheduler's
// tasks and sends `run()` to each one that is due.
import { priceHistoryInferenceAbi, taskSchedulerAbi } from '@opengradient/contracts'
import type { Address, Hex } from '@opengradient/core'
import {
  decodeFunctionResult,
  encodeEventTopics,
  encodeFunctionData,
  keccak256,
  type TransactionReceipt,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { DevAccount } from '../accounts.js'
import type { JsonRpcClient } from '../rpc/jsonRpc.js'

/** One `run()` sent by the executor. */
export type SchedulerRun = {
  /** The workflow contract. */
  contractAddress: Address
  /** Who registered the task. */
  user: Address
  /** The block time (unix seconds) at which the task was found due. */
  dueAt: number
  /** Absent when the transaction could not be sent. */
  transactionHash?: Hex | undefined
  status: 'success' | 'reverted' | 'failed'
  /** Why the run failed, when it did. */
  error?: string | undefined
}

/** What one pass over the tasks did. */
export type SchedulerPass = {
  /** The block time (unix seconds) the pass checked the tasks against. */
  timestamp: number
  runs: SchedulerRun[]
}

/** Sends scheduled `run()` calls; see {@link createSchedulerExecutor}. */
export type SchedulerExecutor = {
  /** The account that sends the runs. */
  address: Address
  /**
   * Moves the chain's clock forward by `advanceSeconds` (when given), then sends `run()` once to
   * every due task, and waits for the receipts. Passes never overlap.
   */
  runDue(parameters?: { advanceSeconds?: number | undefined }): Promise<SchedulerPass>
  /** Sends `run()` to a contract now, outside any schedule. */
  runNow(contractAddress: Address): Promise<SchedulerRun>
  /** Registers a task from the executor's account, ending `durationSeconds` from now. */
  registerTask(
    contractAddress: Address,
    options: { frequency: number; durationSeconds: number },
  ): Promise<{ transactionHash: Hex; endTime: bigint }>
  /** The last runs, oldest first (at most 100). */
  recentRuns(): SchedulerRun[]
  /** Starts checking the tasks every `intervalMs`. */
  start(): void
  /** Stops checking and waits for a pass under way. */
  stop(): Promise<void>
}

/** Parameters of {@link createSchedulerExecutor}. */
export type CreateSchedulerExecutorParameters = {
  /** anvil itself: reads and clock changes. */
  anvil: JsonRpcClient
  /** The devnet's front: sends go through pre-execution there. */
  front: JsonRpcClient
  /** The funded account that pays for the runs. */
  account: DevAccount
  chainId: number
  schedulerAddress: Address
  /** Milliseconds between checks of the tasks. @default 1000 */
  intervalMs?: number | undefined
  /** Gas limit of each `run()`, as the network's executor sends it. @default 30_000_000n */
  runGas?: bigint | undefined
}

const recentRunsKept = 100
const receiptTimeoutMs = 30_000

/**
 * Creates the devnet's workflow executor. A task is due when the block time is before its
 * `endTime` and at least `frequency` seconds after its last run, or after its registration when
 * it has not run yet. Each due task gets one `run()` per pass, from the executor's own account,
 * sent through the front so its price-history call is pre-executed like any other transaction.
 *
 * @example
 * ```ts
 * const executor = createSchedulerExecutor({ anvil, front, account: devAccounts().at(-1)!, chainId: 10744, schedulerAddress: taskSchedulerAddress })
 * const { runs } = await executor.runDue({ advanceSeconds: 3600 })
 * ```
 */
export function createSchedulerExecutor(
  parameters: CreateSchedulerExecutorParameters,
): SchedulerExecutor {
  const { anvil, front, chainId, schedulerAddress } = parameters
  const intervalMs = parameters.intervalMs ?? 1000
  const runGas = parameters.runGas ?? 30_000_000n
  const signer = privateKeyToAccount(parameters.account.privateKey)
  const lastRuns = new Map<Hex, number>()
  const recent: SchedulerRun[] = []
  let queue: Promise<unknown> = Promise.resolve()
  let timer: ReturnType<typeof setTimeout> | undefined
  let running = false

  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = queue.then(task, task)
    queue = result.catch(() => {})
    return result
  }

  async function blockTime(): Promise<number> {
    // The pending block carries the time the next transaction will be mined at, including any
    // `evm_increaseTime`, even when no block has been mined for a while.
    const block = await anvil.request<{ timestamp: Hex }>('eth_getBlockByNumber', [
      'pending',
      false,
    ])
    return Number(block.timestamp)
  }

  async function registeredAt(user: Address, contractAddress: Address): Promise<number> {
    const topics = encodeEventTopics({
      abi: taskSchedulerAbi,
      eventName: 'TaskRegistered',
      args: { user, contractAddress },
    })
    const logs = await anvil.request<{ blockNumber: Hex }[]>('eth_getLogs', [
      { address: schedulerAddress, topics, fromBlock: '0x0', toBlock: 'latest' },
    ])
    const last = logs.at(-1)
    if (!last) return blockTime()
    const block = await anvil.request<{ timestamp: Hex }>('eth_getBlockByNumber', [
      last.blockNumber,
      false,
    ])
    return Number(block.timestamp)
  }

  async function readTasks() {
    const data = encodeFunctionData({ abi: taskSchedulerAbi, functionName: 'getAllTasks' })
    const result = await anvil.request<Hex>('eth_call', [{ to: schedulerAddress, data }, 'latest'])
    return decodeFunctionResult({
      abi: taskSchedulerAbi,
      functionName: 'getAllTasks',
      data: result,
    })
  }

  /** Signs and sends one transaction through the front; resolves with its receipt status. */
  async function transact(to: Address, data: Hex, gas: bigint) {
    const [nonce, gasPrice] = await Promise.all([
      anvil.request<Hex>('eth_getTransactionCount', [signer.address, 'pending']),
      anvil.request<Hex>('eth_gasPrice'),
    ])
    const serializedTransaction = await signer.signTransaction({
      type: 'legacy',
      chainId,
      to,
      data,
      gas,
      gasPrice: BigInt(gasPrice),
      nonce: Number(nonce),
    })
    const transactionHash = keccak256(serializedTransaction)
    await front.request('eth_sendRawTransaction', [serializedTransaction])
    const receipt = await waitForReceipt(transactionHash)
    return { transactionHash, success: receipt.status === '0x1' }
  }

  async function send(contractAddress: Address, user: Address, dueAt: number) {
    const run: SchedulerRun = { contractAddress, user, dueAt, status: 'failed' }
    try {
      const data = encodeFunctionData({ abi: priceHistoryInferenceAbi, functionName: 'run' })
      const { transactionHash, success } = await transact(contractAddress, data, runGas)
      run.transactionHash = transactionHash
      run.status = success ? 'success' : 'reverted'
    } catch (error) {
      run.error = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)
    }
    recent.push(run)
    if (recent.length > recentRunsKept) recent.splice(0, recent.length - recentRunsKept)
    return run
  }

  async function waitForReceipt(hash: Hex) {
    const deadline = Date.now() + receiptTimeoutMs
    while (Date.now() < deadline) {
      const receipt = await anvil.request<{ status: TransactionReceipt['status'] | Hex } | null>(
        'eth_getTransactionReceipt',
        [hash],
      )
      if (receipt) return receipt
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    throw new Error(`No receipt for ${hash} after ${receiptTimeoutMs} ms`)
  }

  async function pass(advanceSeconds: number | undefined): Promise<SchedulerPass> {
    if (advanceSeconds !== undefined && advanceSeconds > 0) {
      await anvil.request('evm_increaseTime', [Math.floor(advanceSeconds)])
      await anvil.request('evm_mine')
    }
    const now = await blockTime()
    const tasks = await readTasks()
    const present = new Set<Hex>()
    const runs: SchedulerRun[] = []
    for (const task of tasks) {
      const id = keccak256(`${task.user}${task.contractAddress.slice(2)}` as Hex)
      present.add(id)
      let last = lastRuns.get(id)
      if (last === undefined) {
        last = await registeredAt(task.user, task.contractAddress)
        lastRuns.set(id, last)
      }
      if (BigInt(now) >= task.endTime || BigInt(now) < BigInt(last) + task.frequency) continue
      lastRuns.set(id, now)
      runs.push(await send(task.contractAddress, task.user, now))
    }
    for (const id of [...lastRuns.keys()]) if (!present.has(id)) lastRuns.delete(id)
    return { timestamp: now, runs }
  }

  function schedule(): void {
    if (!running) return
    timer = setTimeout(() => {
      exclusive(() => pass(undefined))
        .catch(() => {
          // A failed pass (the node restarting, a malformed task) is retried at the next tick.
        })
        .finally(schedule)
    }, intervalMs)
    timer.unref?.()
  }

  return {
    address: signer.address,
    runDue: (options = {}) => exclusive(() => pass(options.advanceSeconds)),
    runNow: (contractAddress) =>
      exclusive(async () => send(contractAddress, signer.address, await blockTime())),
    registerTask: (contractAddress, options) =>
      exclusive(async () => {
        const endTime = BigInt((await blockTime()) + options.durationSeconds)
        const data = encodeFunctionData({
          abi: taskSchedulerAbi,
          functionName: 'registerTask',
          args: [contractAddress, endTime, BigInt(options.frequency)],
        })
        const { transactionHash, success } = await transact(schedulerAddress, data, 500_000n)
        if (!success) throw new Error(`Registering ${contractAddress} with the scheduler reverted.`)
        return { transactionHash, endTime }
      }),
    recentRuns: () => [...recent],
    start() {
      if (running) return
      running = true
      schedule()
    },
    async stop() {
      running = false
      if (timer) clearTimeout(timer)
      await queue
    },
  }
}
