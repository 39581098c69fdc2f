import { alphaTestnet, type OpenGradientChain } from '@opengradient/core'
import {
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  http,
  type PublicClient,
  type Transport,
} from 'viem'
import { type InferParameters, type InferReturnType, infer } from '../actions/infer.js'
import { createNonceManager, type NonceManager } from './nonceManager.js'

export type AlphaClientConfig = {
  /** The signer: a viem local account (`privateKeyToAccount`) or a JSON-RPC account address. */
  account: Account | Address
  /**
   * The chain with its OpenGradient addresses.
   * @default alphaTestnet
   */
  chain?: OpenGradientChain | undefined
  /** viem transport. @default http() on the chain's RPC URL */
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
  fetch: typeof globalThis.fetch
  /** Runs an ONNX model on chain. See {@link infer}. */
  infer(parameters: InferParameters): Promise<InferReturnType>
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
    transport: config.transport ?? http(undefined, { batch: false }),
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
    fetch: config.fetch ?? globalThis.fetch,
    infer: (parameters) => infer(client, parameters),
  }
  return client
}
