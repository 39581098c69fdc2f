import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  createLlmGatewayService,
  createWorkflowService,
  type Devnet,
  type DevnetService,
  type LlmGatewayConfig,
  referenceWorkflows,
  startDevnet,
} from '@opengradient/devnet'
import type { CommandContext } from '../context.js'
import { CliUsageError } from '../errors.js'

export type DevnetOptions = {
  dataDir?: string | undefined
  port?: string | undefined
  /** Install look-alikes of the Alpha testnet's pre-deployed workflows at their addresses. */
  referenceWorkflows?: boolean | undefined
  /** A JSON file configuring the LLM gateway (models, backends, scripts). */
  llmConfig?: string | undefined
  /** Port of the TEE's HTTPS endpoint. */
  teePort?: string | undefined
  /** `--no-llm-payments`: the TEE serves LLM calls without x402. */
  llmPayments?: boolean | undefined
}

/** The devnet's data directory when none is given: `~/.opengradient/devnet`. */
export function defaultDevnetDataDir(context: CommandContext): string {
  return join(context.io.homeDir, '.opengradient', 'devnet')
}

/** Parses a `--port` value: 0 picks a free port. */
export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliUsageError(`"${value}" is not a valid port.`, {
      metaMessages: ['Use an integer from 0 to 65535 (0 picks a free port).'],
    })
  }
  return port
}

/** Prints what a user needs to use a running devnet. */
export function printDevnetInfo(context: CommandContext, devnet: Devnet): void {
  if (context.json) {
    context.printJson({
      rpcUrl: devnet.rpcUrl,
      chainId: devnet.chain.id,
      dataDir: devnet.dataDir,
      accounts: devnet.accounts,
      addresses: devnet.addresses,
      tee: devnet.tee,
    })
    return
  }
  context.print('OpenGradient devnet')
  context.print('──────────────────────────────────────')
  context.print(`RPC URL:   ${devnet.rpcUrl}`)
  context.print(`Chain id:  ${devnet.chain.id}`)
  context.print(`Data dir:  ${devnet.dataDir}`)
  context.print()
  context.print('Contracts:')
  for (const [name, address] of Object.entries(devnet.addresses))
    context.print(`  ${name}: ${address}`)
  context.print()
  context.print('Dev accounts (public test keys: never use them on a real network):')
  devnet.accounts.forEach((account, index) => {
    context.print(`  (${index}) ${account.address}  ${account.privateKey}`)
  })
  context.print()
  context.print('LLM TEE (listed in the TEE registry; pin its certificate):')
  context.print(`  Endpoint:        ${devnet.tee.endpoint}`)
  context.print(`  TEE id:          ${devnet.tee.teeId}`)
  context.print(`  Payment address: ${devnet.tee.paymentAddress}`)
  context.print(
    '  x402: upto over Permit2 in OPG (dev accounts hold 10,000 OPG; og llm approve --min 1 first)',
  )
  context.print()
  context.print(`Use it with: og --network devnet --rpc-url ${devnet.rpcUrl} <command>`)
  context.print(
    `Model Hub: ${devnet.rpcUrl}/api/v0 (add accounts with og devnet users add EMAIL --password P)`,
  )
}

/**
 * `og devnet`: runs the local network in the foreground until Ctrl-C (or SIGTERM), then stops
 * it cleanly so the chain state is saved.
 */
export async function devnetCommand(
  context: CommandContext,
  options: DevnetOptions,
): Promise<void> {
  const llmConfig = options.llmConfig
    ? await readLlmGatewayConfig(context, options.llmConfig)
    : undefined
  const services: DevnetService[] = [
    ...(options.referenceWorkflows ? [createWorkflowService({ referenceWorkflows: true })] : []),
    ...(llmConfig || options.llmPayments === false
      ? [
          createLlmGatewayService({
            ...llmConfig,
            ...(options.llmPayments === false ? { payments: false as const } : {}),
          }),
        ]
      : []),
  ]
  const port = parsePort(options.port, 8545)
  const devnet = await startDevnet({
    dataDir: options.dataDir ? resolve(options.dataDir) : defaultDevnetDataDir(context),
    port,
    teePort: parsePort(options.teePort, port === 0 ? 0 : 8546),
    ...(services.length > 0 ? { services } : {}),
  })
  printDevnetInfo(context, devnet)
  if (options.referenceWorkflows && !context.json) {
    context.print()
    context.print('Reference workflows (og forecast <name>):')
    for (const workflow of referenceWorkflows)
      context.print(`  ${workflow.name}: ${workflow.address}`)
  }
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolveStop()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  if (!context.json) context.print('\nStopping the devnet…')
  await devnet.stop()
}

/**
 * Reads an LLM gateway configuration file. An upstream `apiKey` written `$NAME` is read from the
 * environment variable `NAME`, so keys need not be stored in the file.
 */
export async function readLlmGatewayConfig(
  context: CommandContext,
  file: string,
): Promise<LlmGatewayConfig> {
  let config: LlmGatewayConfig
  try {
    config = JSON.parse(await readFile(resolve(file), 'utf8')) as LlmGatewayConfig
  } catch (error) {
    throw new CliUsageError(`The LLM gateway configuration "${file}" cannot be read.`, {
      cause: error,
    })
  }
  const models = Object.fromEntries(
    Object.entries(config.models ?? {}).map(([id, model]) => {
      if (model.backend !== 'upstream' || !model.apiKey?.startsWith('$')) return [id, model]
      const apiKey = context.io.env[model.apiKey.slice(1)]
      if (!apiKey) {
        throw new CliUsageError(`The environment variable ${model.apiKey.slice(1)} is not set.`, {
          metaMessages: [`The LLM gateway configuration uses it as the API key of "${id}".`],
        })
      }
      return [id, { ...model, apiKey }]
    }),
  )
  return { ...config, models }
}
