import { createNonceManager, keepAliveHttp, type NonceManager } from '@opengradient/contracts'
import { type Address, alphaTestnet, type OpenGradientChain } from '@opengradient/core'
import {
  type Account,
  type Chain,
  createPublicClient,
  type PublicClient,
  type Transport,
} from 'viem'
import {
  type RunLlmChatOnChainParameters,
  type RunLlmChatOnChainReturnType,
  runLlmChatOnChain,
} from './runLlmChatOnChain.js'
import {
  type RunLlmCompletionOnChainParameters,
  type RunLlmCompletionOnChainReturnType,
  runLlmCompletionOnChain,
} from './runLlmCompletionOnChain.js'

/**
 * What the on-chain LLM actions need. An Alpha client (`createAlphaClient`) has the same
 * fields, so it can be passed as is.
 */
export type OnChainLlmClient = {
  /** The signer: a viem local account or a JSON-RPC account address. */
  account: Account | Address
  chain: OpenGradientChain
  publicClient: PublicClient<Transport, Chain>
  nonceManager: NonceManager
  inferenceHubAddress: Address
  /** Multiplier of gas estimates (estimates run in simulation mode and under-count). */
  gasMultiplier: number
  receiptTimeoutMs: number
  transactionType: 'legacy' | 'eip1559'
  pollingInterval: number
}

export type OnChainLlmClientConfig = {
  /** The signer: a viem local account (`privateKeyToAccount`) or a JSON-RPC account address. */
  account: Account | Address
  /** @default alphaTestnet */
  chain?: OpenGradientChain | undefined
  /** @default `keepAliveHttp()` on the chain's RPC URL (viem's `http()`, leaner in Node) */
  transport?: Transport | undefined
  /** @default the chain's `inferenceHub` contract */
  inferenceHubAddress?: Address | undefined
  /** @default 3 */
  gasMultiplier?: number | undefined
  /** @default 120_000 */
  receiptTimeoutMs?: number | undefined
  /** `legacy` as the reference sends, or `eip1559`. @default 'legacy' */
  transactionType?: 'legacy' | 'eip1559' | undefined
  /** Receipt polling interval in ms. @default 50 on local chains, 1000 otherwise */
  pollingInterval?: number | undefined
}

/** An on-chain LLM client with its actions bound. */
export type OnChainLlmClientWithActions = OnChainLlmClient & {
  /** See {@link runLlmCompletionOnChain}. */
  runLlmCompletionOnChain(
    parameters: RunLlmCompletionOnChainParameters,
  ): Promise<RunLlmCompletionOnChainReturnType>
  /** See {@link runLlmChatOnChain}. */
  runLlmChatOnChain(parameters: RunLlmChatOnChainParameters): Promise<RunLlmChatOnChainReturnType>
}

/**
 * Creates a client for LLM calls through the inference hub (the seed-era on-chain path).
 *
 * @example
 * ```ts
 * import { createOnChainLlmClient } from '@opengradient/llm/onchain'
 * import { devnet, LLM } from '@opengradient/core'
 * import { privateKeyToAccount } from 'viem/accounts'
 *
 * const client = createOnChainLlmClient({ chain: devnet, account: privateKeyToAccount(key) })
 * const { text } = await client.runLlmCompletionOnChain({ model: LLM.LLAMA_3_2_3B_INSTRUCT, prompt: 'Hi' })
 * ```
 */
export function createOnChainLlmClient(
  config: OnChainLlmClientConfig,
): OnChainLlmClientWithActions {
  const chain: OpenGradientChain = config.chain ?? alphaTestnet
  const pollingInterval = config.pollingInterval ?? (chain.opengradient.local === true ? 50 : 1000)
  const inferenceHubAddress = config.inferenceHubAddress ?? chain.contracts?.inferenceHub?.address
  if (!inferenceHubAddress) {
    throw new TypeError(
      `Chain "${chain.name}" (${chain.id}) has no inference hub; pass inferenceHubAddress or use alphaTestnet or devnet.`,
    )
  }
  const client: OnChainLlmClientWithActions = {
    account: config.account,
    chain,
    publicClient: createPublicClient({
      chain,
      transport: config.transport ?? keepAliveHttp(undefined, { batch: false }),
      pollingInterval,
    }) as PublicClient<Transport, Chain>,
    nonceManager: createNonceManager(),
    inferenceHubAddress,
    gasMultiplier: config.gasMultiplier ?? 3,
    receiptTimeoutMs: config.receiptTimeoutMs ?? 120_000,
    transactionType: config.transactionType ?? 'legacy',
    pollingInterval,
    runLlmCompletionOnChain: (parameters) => runLlmCompletionOnChain(client, parameters),
    runLlmChatOnChain: (parameters) => runLlmChatOnChain(client, parameters),
  }
  return client
}
