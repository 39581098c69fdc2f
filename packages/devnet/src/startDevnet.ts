import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  inferenceHubDeployedBytecode,
  taskSchedulerDeployedBytecode,
} from '@opengradient/contracts'
import {
  inferencePrecompileStandInDeployedBytecode,
  priceHistoryPrecompileStandInDeployedBytecode,
} from '@opengradient/contracts/devnet'
import {
  type Address,
  BaseError,
  defineDevnet,
  devnetDefaultPort,
  inferenceHubAddress,
  inferencePrecompileAddress,
  priceHistoryPrecompileAddress,
  taskSchedulerAddress,
  teeRegistryAddress,
} from '@opengradient/core'
import { type DevAccount, devAccounts } from './accounts.js'
import { startAnvil } from './anvil/anvil.js'
import { createOnnxEngine } from './engine/onnx.js'
import { createJsonRpcRoute } from './front/jsonRpcRoute.js'
import { createPreExecutor } from './front/preExecution.js'
import { inferenceResultResponse, openResultStore } from './front/results.js'
import { type Route, sendJson, startFront } from './front/server.js'
import { createHubService } from './hub/service.js'
import { createImageService } from './image/service.js'
import {
  createLlmGatewayService,
  type DevnetTee,
  type LlmGatewayService,
  llmGatewayServiceName,
} from './llm/service.js'
import { devnetTeeDefaultPort } from './llm/teeServer.js'
import { installBuiltinModels } from './models/builtin.js'
import { createModelStore, type ModelStore } from './models/store.js'
import { deployPaymentContracts } from './payments/deployPaymentContracts.js'
import { createHubPredictor } from './precompiles/hubPredictor.js'
import { createInferencePrecompileHandler, type LlmRunner } from './precompiles/inference.js'
import type { DevnetService, DevnetServiceContext, DevnetServiceFactory } from './service.js'
import { createWorkflowService } from './workflows/workflowService.js'

export type StartDevnetParameters = {
  /**
   * Where the chain state, models and results live. Reusing it keeps everything across
   * restarts.
   * @default `~/.opengradient/devnet`, or a fresh temporary directory when `temporary` is set
   */
  dataDir?: string | undefined
  /**
   * Use a fresh temporary data directory, removed by `stop()`. Its chain lives in memory only:
   * nothing is written that the stop would delete. @default false
   */
  temporary?: boolean | undefined
  /** Port of the JSON-RPC front and every HTTP service; 0 picks a free one. @default 8545 */
  port?: number | undefined
  /**
   * Port of the TEE's HTTPS endpoint (the LLM gateway as the TEE registry lists it); 0 picks a
   * free one.
   * @default 8546, or 0 when `port` is 0
   */
  teePort?: number | undefined
  /** Seconds between chain state dumps: the most a `kill -9` can lose. @default 1 */
  stateInterval?: number | undefined
  /**
   * Extra services (routes, precompile handlers, background work) beside the built-in ones. A
   * service named like a built-in one replaces it, e.g. `createWorkflowService({ … })`.
   */
  services?: readonly (DevnetService | DevnetServiceFactory)[] | undefined
}

/** A running devnet. */
export type Devnet = {
  /** JSON-RPC URL of the front (also the origin of every HTTP service). */
  rpcUrl: string
  /** The devnet as a viem chain, with its contract addresses and service URLs. */
  chain: ReturnType<typeof defineDevnet>
  /** Funded dev accounts; account 0 is the default signer. */
  accounts: DevAccount[]
  /** Predeployed contracts and precompile stand-ins. */
  addresses: {
    inferenceHub: Address
    inferencePrecompile: Address
    priceHistoryPrecompile: Address
    taskScheduler: Address
    teeRegistry: Address
    /** The OPG token, deployed at the first start; every dev account got 10,000 OPG. */
    opgToken: Address
    /** Permit2 (signature transfers) at its canonical address. */
    permit2: Address
    /** The x402 `upto` Permit2 proxy at its canonical address. */
    x402UptoPermit2Proxy: Address
    /** The x402 `exact` Permit2 proxy at its canonical address. */
    x402ExactPermit2Proxy: Address
    /** Multicall3 at its canonical address. */
    multicall3: Address
  }
  /** The devnet's TEE, as the registry at `addresses.teeRegistry` lists it. */
  tee: DevnetTee
  dataDir: string
  /** URL of anvil itself, behind the front (for benchmarks and diagnostics). */
  anvilUrl: string
  models: ModelStore
  /** Stops the front and anvil (which dumps its state first). */
  stop(): Promise<void>
}

/**
 * Starts a local OpenGradient network: anvil (chain 10744) behind a JSON-RPC front that
 * pre-executes transactions and runs their inference requests with onnxruntime, the inference
 * hub and precompile stand-ins at the real addresses, built-in models, the node REST API's
 * result endpoint, and the LLM gateway, also served over HTTPS as the devnet's TEE and listed in
 * the TEE registry (`tee` in the result).
 *
 * @example
 * ```ts
 * import { startDevnet } from '@opengradient/devnet'
 *
 * const devnet = await startDevnet({ temporary: true, port: 0 })
 * console.log(devnet.rpcUrl, devnet.accounts[0].address)
 * await devnet.stop()
 * ```
 */
export async function startDevnet(parameters: StartDevnetParameters = {}): Promise<Devnet> {
  const temporary = parameters.temporary ?? false
  const dataDir =
    parameters.dataDir ??
    (temporary
      ? await mkdtemp(join(tmpdir(), 'og-devnet-'))
      : join(homedir(), '.opengradient', 'devnet'))
  await mkdir(join(dataDir, 'chain'), { recursive: true })
  const releaseLock = await acquireLock(join(dataDir, 'devnet.lock'))

  const cleanups: (() => Promise<void>)[] = [releaseLock]
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
    cleanups.length = 0
    if (temporary && !parameters.dataDir) await rm(dataDir, { recursive: true, force: true })
  }
  try {
    const models = createModelStore({ dir: join(dataDir, 'models') })
    await installBuiltinModels(models)
    const engine = createOnnxEngine({ store: models })
    const results = await openResultStore({ file: join(dataDir, 'results.jsonl') })

    const anvil = await startAnvil({
      // A throwaway devnet is removed at stop: writing its chain to disk every second would
      // only cost CPU, and more as its history grows (anvil rewrites all of it each time).
      stateFile:
        temporary && !parameters.dataDir ? undefined : join(dataDir, 'chain', 'state.json'),
      pidFile: join(dataDir, 'chain', 'anvil.pid'),
      stateInterval: parameters.stateInterval ?? 1,
    })
    cleanups.push(() => anvil.stop())

    // Runtime code only: these contracts keep no constructor-set storage, so installing their
    // code at the real addresses is a complete deployment (and idempotent on restart).
    const predeploys: [Address, string][] = [
      [inferencePrecompileAddress, inferencePrecompileStandInDeployedBytecode],
      [priceHistoryPrecompileAddress, priceHistoryPrecompileStandInDeployedBytecode],
      [inferenceHubAddress, inferenceHubDeployedBytecode],
      [taskSchedulerAddress, taskSchedulerDeployedBytecode],
    ]
    for (const [address, code] of predeploys)
      await anvil.rpc.request('anvil_setCode', [address, code])

    const accounts = devAccounts()
    const payments = await deployPaymentContracts({
      anvil: anvil.rpc,
      accounts: accounts.map((account) => account.address),
    })
    const context: DevnetServiceContext = {
      dataDir,
      anvil: anvil.rpc,
      models,
      engine,
      results,
      accounts,
      chainId: 10744,
    }
    const services: DevnetService[] = []
    for (const entry of [...builtinServices, ...(parameters.services ?? [])]) {
      const service = typeof entry === 'function' ? await entry(context) : entry
      // A given service named like a built-in one replaces it (to configure it).
      const replaced = services.findIndex((existing) => existing.name === service.name)
      if (replaced === -1) services.push(service)
      else services[replaced] = service
    }
    for (const service of services) {
      await service.prepare?.(context)
      cleanups.push(async () => service.stop?.())
    }
    let llm: LlmRunner | undefined
    for (const service of services) llm = service.llm ?? llm

    const preExecutor = createPreExecutor({
      rpc: anvil.rpc,
      predict: createHubPredictor(),
      handlers: {
        [inferencePrecompileAddress]: createInferencePrecompileHandler({
          runModel: (request) => engine.runModelInference(request),
          results,
          llm,
        }),
        ...Object.assign({}, ...services.map((service) => service.precompileHandlers ?? {})),
      },
    })

    const resultRoute: Route = (request, response, url) => {
      const prefix = '/artela-network/artela-rollkit/inference/tx/'
      if (request.method !== 'GET' || !url.pathname.startsWith(prefix)) return false
      const inferenceId = decodeURIComponent(url.pathname.slice(prefix.length))
      sendJson(response, 200, inferenceResultResponse(results.get(inferenceId)))
      return true
    }

    const front = await startFront({
      port: parameters.port ?? devnetDefaultPort,
      routes: [
        ...services.flatMap((service) => service.routes ?? []),
        resultRoute,
        createJsonRpcRoute({ rpc: anvil.rpc, preExecutor }),
      ],
    })
    cleanups.push(() => front.close())
    const teePort = parameters.teePort ?? (parameters.port === 0 ? 0 : devnetTeeDefaultPort)
    for (const service of services) {
      await service.start?.({ ...context, rpcUrl: front.url, teePort })
    }
    const tee = services
      .find((service): service is LlmGatewayService => service.name === llmGatewayServiceName)
      ?.tee?.()
    if (!tee) {
      throw new BaseError('The devnet started without its TEE.', {
        metaMessages: [`A service named "${llmGatewayServiceName}" must run the LLM gateway.`],
      })
    }

    return {
      rpcUrl: front.url,
      chain: defineDevnet({ rpcUrl: front.url }),
      accounts,
      addresses: {
        inferenceHub: inferenceHubAddress,
        inferencePrecompile: inferencePrecompileAddress,
        priceHistoryPrecompile: priceHistoryPrecompileAddress,
        taskScheduler: taskSchedulerAddress,
        teeRegistry: teeRegistryAddress,
        opgToken: payments.opgToken,
        permit2: payments.permit2,
        x402UptoPermit2Proxy: payments.x402UptoPermit2Proxy,
        x402ExactPermit2Proxy: payments.x402ExactPermit2Proxy,
        multicall3: payments.multicall3,
      },
      tee,
      dataDir,
      anvilUrl: anvil.url,
      models,
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

/** Services every devnet runs; features register theirs here. */
const builtinServices: readonly (DevnetService | DevnetServiceFactory)[] = [
  createWorkflowService(),
  createHubService(),
  // Before the LLM gateway: it claims only the chat requests for its image models.
  () => createImageService(),
  // A factory: the gateway service holds its devnet's TEE and registry admin, so two devnets in
  // one process must not share one.
  () => createLlmGatewayService(),
]

async function acquireLock(file: string): Promise<() => Promise<void>> {
  if (existsSync(file)) {
    const pid = Number((await readFile(file, 'utf8')).trim())
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new BaseError('Another devnet is already running on this data directory.', {
        metaMessages: [
          `Lock file: ${file}`,
          `Process: ${pid}`,
          'Stop it, or pass another --data-dir.',
        ],
      })
    }
  }
  await writeFile(file, String(process.pid))
  return () => rm(file, { force: true })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
