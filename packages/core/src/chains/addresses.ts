import type { Address } from '../types/primitives.js'

/** The inference hub contract on the Alpha testnet (every reference version). */
export const inferenceHubAddress: Address = '0x8383C9bD7462F12Eb996DD02F78234C0421A6FaE'
/** The inference precompile (`OGInference`): ONNX models and on-chain LLMs. */
export const inferencePrecompileAddress: Address = '0x00000000000000000000000000000000000000F4'
/** The price-history precompile (`OGHistorical`): candles plus model inference. */
export const priceHistoryPrecompileAddress: Address = '0x00000000000000000000000000000000000000F5'
/** The workflow scheduler (`TaskScheduler`) of reference 0.4.7 and later. */
export const taskSchedulerAddress: Address = '0x7179724De4e7FF9271FA40C0337c7f90C0508eF6'
/** The workflow scheduler that reference 0.4.6 hard-coded; kept for old scripts. */
export const legacyTaskSchedulerAddress: Address = '0x6F937b9f4Fa7723932827cd73063B70Be2b56748'
/** The current TEE registry on the OpenGradient testnet (chain 10740). */
export const teeRegistryAddress: Address = '0x703cB174AEadB35D611858369B4b1111dC9Abda6'
/** The old TEE registry (reference 0.7.6–1.0.3); it lists no active TEEs any more. */
export const legacyTeeRegistryAddress: Address = '0x4e72238852f3c918f4E4e57AeC9280dDB0c80248'
/** Uniswap's Permit2, the spender of OPG approvals (same address on every chain). */
export const permit2Address: Address = '0x000000000022D473030F116dDEE9F6B43aC78BA3'
/** The OPG token on Base mainnet (reference 1.0.0 and later). */
export const opgTokenBaseAddress: Address = '0xFbC2051AE2265686a469421b2C5A2D5462FbF5eB'
/** The OPG token on Base Sepolia (reference 0.7.1–0.9.x). */
export const opgTokenBaseSepoliaAddress: Address = '0x240b09731D96979f50B2C649C9CE10FcF9C7987F'
/**
 * The OPG token of the local devnet. The devnet deploys it at its first start from a fixed
 * deployer account, so the address is the same on every machine and after every restart.
 */
export const devnetOpgTokenAddress: Address = '0xB3797ECD911B02969bE20d92d45dD7F0Dd113AeE'
/** The x402 `exact` scheme Permit2 proxy. */
export const x402ExactPermit2ProxyAddress: Address = '0x402085c248EeA27D92E8b30b2C58ed07f9E20001'
/** The x402 `upto` scheme Permit2 proxy. */
export const x402UptoPermit2ProxyAddress: Address = '0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002'
/** The TEE gateway's default `payTo`; the real value comes in each 402 answer. */
export const gatewayPayToAddress: Address = '0x9deEBB5D1b22e4a6e027977CeAd13893A7E4cC1a'
