import type { Chain } from 'viem'
import type { Address } from '../types/primitives.js'
import {
  devnetOpgTokenAddress,
  inferenceHubAddress,
  inferencePrecompileAddress,
  opgTokenBaseAddress,
  opgTokenBaseSepoliaAddress,
  permit2Address,
  priceHistoryPrecompileAddress,
  taskSchedulerAddress,
  teeRegistryAddress,
} from './addresses.js'
import { historicalUrls } from './urls.js'

/** OpenGradient service endpoints and contracts attached to a chain preset. */
export type OpenGradientNetworkConfig = {
  /** Base URL of the node REST API that serves inference results by id. */
  inferenceApiUrl?: string | undefined
  /** Model Hub API base URL. */
  hubApiUrl?: string | undefined
  /**
   * Base of the Firebase-compatible sign-in service of the Model Hub, when it is not Google's
   * (the devnet serves one).
   */
  hubAuthUrl?: string | undefined
  /** IPFS gateway base URL used to download models by CID. */
  ipfsGatewayUrl?: string | undefined
  /** LLM gateway base URL, when it is fixed rather than discovered from the TEE registry. */
  llmGatewayUrl?: string | undefined
  /** Explorer transaction URL prefix. */
  explorerTxUrl?: string | undefined
  /** True for a local devnet started on this machine. */
  local?: boolean | undefined
}

type OgContract = { address: Address }

/** A viem `Chain` with OpenGradient contracts and endpoints. */
export type OpenGradientChain = Chain & {
  contracts?: Chain['contracts'] & {
    inferenceHub?: OgContract | undefined
    inferencePrecompile?: OgContract | undefined
    priceHistoryPrecompile?: OgContract | undefined
    taskScheduler?: OgContract | undefined
    teeRegistry?: OgContract | undefined
    opgToken?: OgContract | undefined
    permit2?: OgContract | undefined
  }
  opengradient: OpenGradientNetworkConfig
}

const alphaContracts = {
  inferenceHub: { address: inferenceHubAddress },
  inferencePrecompile: { address: inferencePrecompileAddress },
  priceHistoryPrecompile: { address: priceHistoryPrecompileAddress },
  taskScheduler: { address: taskSchedulerAddress },
} as const

/**
 * The Alpha testnet (chain 10744): on-chain ONNX and LLM inference, workflows.
 *
 * @example
 * ```ts
 * import { alphaTestnet } from '@opengradient/core'
 * const client = createAlphaClient({ chain: alphaTestnet, account })
 * ```
 */
export const alphaTestnet = {
  id: 10744,
  name: 'OpenGradient Alpha Testnet',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [historicalUrls.alphaRpc] } },
  blockExplorers: {
    default: { name: 'OpenGradient Explorer', url: 'https://explorer.opengradient.ai' },
  },
  contracts: alphaContracts,
  testnet: true,
  opengradient: {
    inferenceApiUrl: historicalUrls.inferenceApi,
    hubApiUrl: historicalUrls.hubApi,
    explorerTxUrl: `${historicalUrls.explorer}tx/`,
  },
} as const satisfies OpenGradientChain

/**
 * The OpenGradient testnet ("og-evm", chain 10740): the TEE registry and settlement. It has
 * no inference precompiles; on-chain inference needs {@link alphaTestnet}.
 *
 * @example
 * ```ts
 * import { ogTestnet } from '@opengradient/core'
 * const tees = await getActiveTees({ chain: ogTestnet })
 * ```
 */
export const ogTestnet = {
  id: 10740,
  name: 'OpenGradient Testnet',
  nativeCurrency: { name: 'OPG', symbol: 'OPG', decimals: 18 },
  rpcUrls: { default: { http: [historicalUrls.ogEvmRpc] } },
  blockExplorers: {
    default: { name: 'OpenGradient Explorer', url: 'https://explorer.opengradient.ai' },
  },
  contracts: { teeRegistry: { address: teeRegistryAddress } },
  testnet: true,
  opengradient: { hubApiUrl: historicalUrls.hubApi },
} as const satisfies OpenGradientChain

/**
 * Base mainnet, where x402 LLM payments settle in OPG (reference 1.0 and later).
 *
 * @example
 * ```ts
 * import { base } from '@opengradient/core'
 * base.contracts.opgToken.address
 * ```
 */
export const base = {
  id: 8453,
  name: 'Base',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [historicalUrls.baseMainnetRpc] } },
  contracts: { opgToken: { address: opgTokenBaseAddress }, permit2: { address: permit2Address } },
  opengradient: {},
} as const satisfies OpenGradientChain

/**
 * Base Sepolia, where x402 payments settled in reference 0.7.x–0.9.x.
 *
 * @example
 * ```ts
 * import { baseSepolia } from '@opengradient/core'
 * baseSepolia.id // 84532
 * ```
 */
export const baseSepolia = {
  id: 84532,
  name: 'Base Sepolia',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [historicalUrls.baseSepoliaRpc] } },
  contracts: {
    opgToken: { address: opgTokenBaseSepoliaAddress },
    permit2: { address: permit2Address },
  },
  testnet: true,
  opengradient: {},
} as const satisfies OpenGradientChain

/** Default port of the local devnet's JSON-RPC front. */
export const devnetDefaultPort = 8545

/**
 * The local devnet (`og devnet`): chain 10744 on 127.0.0.1 with the Alpha testnet's addresses,
 * so code written for {@link alphaTestnet} runs unchanged, and a TEE registry at the current
 * registry's address listing the devnet's own LLM gateway TEE. Use {@link defineDevnet} when the
 * devnet listens on another port.
 *
 * @example
 * ```ts
 * import { devnet } from '@opengradient/core'
 * const client = createAlphaClient({ chain: devnet, account })
 * ```
 */
export const devnet = defineDevnet()

/**
 * Builds the devnet chain for a given RPC URL (every service of the devnet sits behind the same
 * origin).
 *
 * @example
 * ```ts
 * const chain = defineDevnet({ rpcUrl: 'http://127.0.0.1:9545' })
 * ```
 */
export function defineDevnet(parameters: { rpcUrl?: string | undefined } = {}) {
  const rpcUrl = parameters.rpcUrl ?? `http://127.0.0.1:${devnetDefaultPort}`
  const origin = rpcUrl.replace(/\/+$/, '')
  return {
    id: 10744,
    name: 'OpenGradient Devnet',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    contracts: {
      ...alphaContracts,
      teeRegistry: { address: teeRegistryAddress },
      // The devnet also stands in for Base, where x402 payments settle in OPG through Permit2.
      opgToken: { address: devnetOpgTokenAddress },
      permit2: { address: permit2Address },
    },
    testnet: true,
    opengradient: {
      inferenceApiUrl: origin,
      hubApiUrl: `${origin}/api/v0`,
      hubAuthUrl: `${origin}/firebase`,
      ipfsGatewayUrl: `${origin}/ipfs/`,
      llmGatewayUrl: origin,
      local: true,
    },
  } as const satisfies OpenGradientChain
}

/** Chain presets by name, for CLIs and configuration files. */
export const networks = {
  alpha: alphaTestnet,
  testnet: ogTestnet,
  devnet,
  base,
  'base-sepolia': baseSepolia,
} as const

/** A name of {@link networks}. */
export type NetworkName = keyof typeof networks
