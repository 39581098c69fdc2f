import type { Address } from '@opengradient/core'
import type { DevAccount } from './accounts.js'
import type { OnnxEngine } from './engine/onnx.js'
import type { PrecompileHandler } from './front/preExecution.js'
import type { ResultStore } from './front/results.js'
import type { Route } from './front/server.js'
import type { ModelStore } from './models/store.js'
import type { LlmRunner } from './precompiles/inference.js'
import type { JsonRpcClient } from './rpc/jsonRpc.js'

/** What every devnet service can use. */
export type DevnetServiceContext = {
  dataDir: string
  /** JSON-RPC client of anvil itself (behind the front: no pre-execution). */
  anvil: JsonRpcClient
  models: ModelStore
  engine: OnnxEngine
  results: ResultStore
  accounts: DevAccount[]
  chainId: number
}

/** What a service sees once the front listens. */
export type DevnetStartedContext = DevnetServiceContext & {
  /** URL of the front: JSON-RPC with pre-execution, and every HTTP route. */
  rpcUrl: string
  /** Port the devnet's TEE endpoint listens on (HTTPS); 0 picks a free one. */
  teePort: number
}

/**
 * A part of the devnet: HTTP routes on the shared front, off-chain answers for precompile
 * calls, an on-chain LLM backend, and a lifecycle. The built-in services (inference, hub,
 * LLM gateway, price history, scheduler) and extra ones given to `startDevnet` all use it.
 */
export type DevnetService = {
  name: string
  /** Routes tried before the JSON-RPC route. */
  routes?: readonly Route[] | undefined
  /** Off-chain answers for calls to precompile stand-ins, by stand-in address. */
  precompileHandlers?: Readonly<Record<Address, PrecompileHandler>> | undefined
  /** Answers `runLLMCompletion` / `runLLMChat` calls to `0xF4`. */
  llm?: LlmRunner | undefined
  /** Runs after predeploys, before the front listens (deploy contracts, open stores). */
  prepare?(context: DevnetServiceContext): Promise<void>
  /** Runs once the front listens (start background work). */
  start?(context: DevnetStartedContext): Promise<void>
  /** Runs at stop, in reverse order of start. */
  stop?(): Promise<void>
}

/** Creates a service from a function of the context (for services that need it to build). */
export type DevnetServiceFactory = (
  context: DevnetServiceContext,
) => DevnetService | Promise<DevnetService>
