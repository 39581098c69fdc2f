import {
  createHttpRpcBatch,
  createNonceManager,
  keepAliveHttp,
  type NonceManager,
  type RpcBatch,
} from '@opengradient/contracts'
import { alphaTestnet, type OpenGradientChain } from '@opengradient/core'
import {
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  type PublicClient,
  type Transport,
} from 'viem'
import { type InferParameters, type InferReturnType, infer } from '../actions/infer.js'
import {
  type ListTasksParameters,
  type ListTasksReturnType,
  listTasks,
} from '../actions/listTasks.js'
import {
  type NewWorkflowParameters,
  type NewWorkflowReturnType,
  newWorkflow,
} from '../actions/newWorkflow.js'
import {
  type ReadWorkflowHistoryParameters,
  type ReadWorkflowHistoryReturnType,
  readWorkflowHistory,
} from '../actions/readWorkflowHistory.js'
import {
  type ReadWorkflowModelParameters,
  type ReadWorkflowModelReturnType,
  readWorkflowModel,
} from '../actions/readWorkflowModel.js'
import {
  type ReadWorkflowResultParameters,
  type ReadWorkflowResultReturnType,
  readWorkflowResult,
} from '../actions/readWorkflowResult.js'
import {
  type RegisterTaskParameters,
  type RegisterTaskReturnType,
  registerTask,
} from '../actions/registerTask.js'
import {
  type RunWorkflowParameters,
  type RunWorkflowReturnType,
  runWorkflow,
} from '../actions/runWorkflow.js'
import { type StopTaskParameters, type StopTaskReturnType, stopTask } from '../actions/stopTask.js'
import {
  type UpdateTaskParameters,
  type UpdateTaskReturnType,
  updateTask,
} from '../actions/updateTask.js'
import {
  type VerifyInferenceParameters,
  type VerifyInferenceReturnType,
  verifyInference,
} from '../actions/verifyInference.js'

export type AlphaClientConfig = {
  /** The signer: a viem local account (`privateKeyToAccount`) or a JSON-RPC account address. */
  account: Account | Address
  /**
   * The chain with its OpenGradient addresses.
   * @default alphaTestnet
   */
  chain?: OpenGradientChain | undefined
  /**
   * viem transport. @default `keepAliveHttp()` on the chain's RPC URL: viem's `http()`, with
   * requests made by `node:http` on a keep-alive pool when running in Node
   */
  transport?: Transport | undefined
  /** Base URL of the node REST API for result fallbacks. @default the chain's `inferenceApiUrl` */
  inferenceApiUrl?: string | undefined
  /** Inference hub address. @default the chain's `inferenceHub` contract */
  inferenceHubAddress?: Address | undefined
  /**
   * Multiplier applied to gas estimates: estimates run in simulation mode, where the
   * precompile returns an empty placeholder, so they under-count the real execution.
   * @default 3
   */
  gasMultiplier?: number | undefined
  /** How long to wait for a receipt. @default 120_000 */
  receiptTimeoutMs?: number | undefined
  /** How long to poll the REST fallback for a result. @default 30_000 */
  resultTimeoutMs?: number | undefined
  /** Transaction type: `legacy` for reference parity, `eip1559` for fee-market fees. @default 'legacy' */
  transactionType?: 'legacy' | 'eip1559' | undefined
  /** Polling interval for receipts, in ms. @default 50 on local chains, 1000 otherwise */
  pollingInterval?: number | undefined
  /**
   * Send with `eth_sendRawTransactionSync` (EIP-7966), which answers with the receipt once the
   * transaction is mined, saving the receipt round trip. Nodes without the method are detected
   * on the first send and get `eth_sendRawTransaction` from then on.
   * @default true on local chains (the devnet), false otherwise
   */
  sendSync?: boolean | undefined
  /** `fetch` used for the REST fallback. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch | undefined
}

/** An Alpha client: configuration, a viem public client, and the actions bound to it. */
export type AlphaClient = {
  account: Account | Address
  chain: OpenGradientChain
  publicClient: PublicClient<Transport, Chain>
  nonceManager: NonceManager
  inferenceApiUrl: string | undefined
  inferenceHubAddress: Address
  gasMultiplier: number
  receiptTimeoutMs: number
  resultTimeoutMs: number
  transactionType: 'legacy' | 'eip1559'
  pollingInterval: number
  sendSync: boolean
  /** JSON-RPC batches to the chain's RPC URL; only when the client made its own transport. */
  rpcBatch: RpcBatch | undefined
  fetch: typeof globalThis.fetch
  /** Runs an ONNX model on chain. See {@link infer}. */
  infer(parameters: InferParameters): Promise<InferReturnType>
  /** Re-runs a transaction's inference and checks its outputs. See {@link verifyInference}. */
  verifyInference(parameters: VerifyInferenceParameters): Promise<VerifyInferenceReturnType>
  /** Deploys a workflow, optionally scheduled. See {@link newWorkflow}. */
  newWorkflow(parameters: NewWorkflowParameters): Promise<NewWorkflowReturnType>
  /** Runs a workflow now. See {@link runWorkflow}. */
  runWorkflow(parameters: RunWorkflowParameters): Promise<RunWorkflowReturnType>
  /** Reads a workflow's latest result. See {@link readWorkflowResult}. */
  readWorkflowResult(
    parameters: ReadWorkflowResultParameters,
  ): Promise<ReadWorkflowResultReturnType>
  /** Reads a workflow's last results. See {@link readWorkflowHistory}. */
  readWorkflowHistory(
    parameters: ReadWorkflowHistoryParameters,
  ): Promise<ReadWorkflowHistoryReturnType>
  /** Reads a pre-deployed workflow's forecast. See {@link readWorkflowModel}. */
  readWorkflowModel(parameters: ReadWorkflowModelParameters): Promise<ReadWorkflowModelReturnType>
  /** Schedules a workflow. See {@link registerTask}. */
  registerTask(parameters: RegisterTaskParameters): Promise<RegisterTaskReturnType>
  /** Changes a workflow's schedule. See {@link updateTask}. */
  updateTask(parameters: UpdateTaskParameters): Promise<UpdateTaskReturnType>
  /** Removes a workflow's schedule. See {@link stopTask}. */
  stopTask(parameters: StopTaskParameters): Promise<StopTaskReturnType>
  /** Lists the scheduler's tasks. See {@link listTasks}. */
  listTasks(parameters?: ListTasksParameters): Promise<ListTasksReturnType>
}

/**
 * Creates a client for the Alpha testnet's on-chain features (ONNX inference; workflows).
 * Every action also exists as a standalone tree-shakeable function taking the client.
 *
 * @example
 * ```ts
 * import { createAlphaClient } from '@opengradient/alpha'
 * import { devnet, InferenceMode } from '@opengradient/core'
 * import { privateKeyToAccount } from 'viem/accounts'
 *
 * const client = createAlphaClient({ chain: devnet, account: privateKeyToAccount(key) })
 * const { modelOutput } = await client.infer({ model, mode: InferenceMode.VANILLA, input: { x: [1, 2] } })
 * ```
 */
export function createAlphaClient(config: AlphaClientConfig): AlphaClient {
  const chain: OpenGradientChain = config.chain ?? alphaTestnet
  const local = chain.opengradient.local === true
  const pollingInterval = config.pollingInterval ?? (local ? 50 : 1000)
  const publicClient = createPublicClient({
    chain,
    transport: config.transport ?? keepAliveHttp(undefined, { batch: false }),
    pollingInterval,
  }) as PublicClient<Transport, Chain>
  const hubAddress = config.inferenceHubAddress ?? chain.contracts?.inferenceHub?.address
  if (!hubAddress) {
    throw new TypeError(
      `Chain "${chain.name}" (${chain.id}) has no inference hub; pass inferenceHubAddress or use alphaTestnet or devnet.`,
    )
  }
  const client: AlphaClient = {
    account: config.account,
    chain,
    publicClient,
    nonceManager: createNonceManager(),
    inferenceApiUrl: config.inferenceApiUrl ?? chain.opengradient.inferenceApiUrl,
    inferenceHubAddress: hubAddress,
    gasMultiplier: config.gasMultiplier ?? 3,
    receiptTimeoutMs: config.receiptTimeoutMs ?? 120_000,
    resultTimeoutMs: config.resultTimeoutMs ?? 30_000,
    transactionType: config.transactionType ?? 'legacy',
    pollingInterval,
    sendSync: config.sendSync ?? local,
    // A transport given by the caller may do anything (auth, fallbacks), so batches go only
    // through the client's own: the estimate and gas price of a send then cost one request.
    rpcBatch:
      config.transport || !chain.rpcUrls.default.http[0]
        ? undefined
        : createHttpRpcBatch(chain.rpcUrls.default.http[0]),
    fetch: config.fetch ?? globalThis.fetch,
    infer: (parameters) => infer(client, parameters),
    verifyInference: (parameters) => verifyInference(client, parameters),
    newWorkflow: (parameters) => newWorkflow(client, parameters),
    runWorkflow: (parameters) => runWorkflow(client, parameters),
    readWorkflowResult: (parameters) => readWorkflowResult(client, parameters),
    readWorkflowHistory: (parameters) => readWorkflowHistory(client, parameters),
    readWorkflowModel: (parameters) => readWorkflowModel(client, parameters),
    registerTask: (parameters) => registerTask(client, parameters),
    updateTask: (parameters) => updateTask(client, parameters),
    stopTask: (parameters) => stopTask(client, parameters),
    listTasks: (parameters) => listTasks(client, parameters),
  }
  return client
}
