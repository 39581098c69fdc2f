// What `og completion` and `og chat` share: options, the gateway client, and the reference's lines.
import { LLM, TEE_LLM, type TeeMetadata, type ToolCall } from '@opengradient/core'
import { createLlmClient, type LlmClient, parseSettlementMode } from '@opengradient/llm'
import type { CommandContext } from '../context.js'
import { CliUsageError } from '../errors.js'

/** Options both LLM commands take. */
export type LlmCommandOptions = {
  model: string
  maxTokens?: string | undefined
  stop?: string[] | undefined
  stopSequence?: string[] | undefined
  temperature?: string | undefined
  onchain?: boolean | undefined
  mode?: string | undefined
  x402SettlementMode?: string | undefined
  /** Alias of `x402SettlementMode`. */
  settlementMode?: string | undefined
  webSearch?: boolean | undefined
  llmUrl?: string | undefined
}

/** The line under headings, as `og infer` prints it. */
export const rule = '──────────────────────────────────────'

/**
 * Collects a repeatable option's values.
 *
 * @example
 * ```ts
 * program.option('--stop <text>', 'repeatable', collect)
 * ```
 */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

/**
 * `--max-tokens`, `--stop`/`--stop-sequence` and `--temperature` as numbers and a list.
 *
 * @example
 * ```ts
 * generationOptions({ model, maxTokens: '20' }) // { maxTokens: 20, temperature: 0, temperatureText: '0', stop: [] }
 * ```
 */
export function generationOptions(options: LlmCommandOptions) {
  const maxTokens = Number(options.maxTokens ?? 100)
  if (!Number.isSafeInteger(maxTokens) || maxTokens < 1) {
    throw new CliUsageError(`--max-tokens must be a positive integer, got "${options.maxTokens}".`)
  }
  const temperatureText = options.temperature ?? '0'
  const temperature = Number(temperatureText)
  if (!Number.isFinite(temperature) || temperature < 0) {
    throw new CliUsageError(
      `--temperature must be a number of at least 0, got "${temperatureText}".`,
    )
  }
  const stop = [...(options.stop ?? []), ...(options.stopSequence ?? [])]
  return { maxTokens, temperature, temperatureText, stop }
}

/**
 * Rejects gateway-only options with `--onchain`, and `--mode` without it.
 *
 * @example
 * ```ts
 * checkTransport({ model, mode: 'TEE' }) // throws: --mode needs --onchain
 * ```
 */
export function checkTransport(options: LlmCommandOptions): void {
  if (options.onchain) {
    if (settlementModeOf(options) !== undefined || options.webSearch || options.llmUrl) {
      throw new CliUsageError(
        '--x402-settlement-mode, --web-search and --llm-url apply to the LLM gateway, not to --onchain.',
      )
    }
  } else if (options.mode !== undefined) {
    throw new CliUsageError('--mode applies to on-chain calls: add --onchain.')
  }
}

/**
 * The gateway client: `--llm-url`, else `OG_LLM_URL`, else the network's gateway (the devnet
 * serves one on its own origin).
 *
 * @example
 * ```ts
 * const client = gatewayClient(context, options)
 * ```
 */
export function gatewayClient(context: CommandContext, options: LlmCommandOptions): LlmClient {
  const baseUrl =
    options.llmUrl || context.io.env.OG_LLM_URL || context.getChain().opengradient.llmGatewayUrl
  if (!baseUrl) {
    throw new CliUsageError(
      `No LLM gateway URL is known for the network "${context.settings.network.value}".`,
      { metaMessages: ['Pass --llm-url <url> or set OG_LLM_URL.'] },
    )
  }
  const settlementMode = settlementModeOf(options)
  return createLlmClient({
    baseUrl,
    ...(settlementMode !== undefined
      ? { settlementMode: parseSettlementModeOption(settlementMode) }
      : {}),
  })
}

function settlementModeOf(options: LlmCommandOptions): string | undefined {
  return options.x402SettlementMode ?? options.settlementMode
}

function parseSettlementModeOption(value: string) {
  try {
    return parseSettlementMode(value)
  } catch {
    throw new CliUsageError(`Unknown settlement mode "${value}".`, {
      metaMessages: [
        'Use private, batch or individual (or settle, settle-batch, settle-metadata).',
      ],
    })
  }
}

/**
 * Warns about model ids the network does not list; they are sent anyway.
 *
 * @example
 * ```ts
 * warnUnknownModel(context, 'openai/gpt-9', false)
 * ```
 */
export function warnUnknownModel(context: CommandContext, model: string, onchain: boolean): void {
  if (context.settings.network.value === 'devnet') return
  const known: readonly string[] = onchain ? Object.values(LLM) : Object.values(TEE_LLM)
  if (!known.includes(model)) {
    context.warn(
      `"${model}" is not a known ${onchain ? 'on-chain LLM' : 'TEE model'} id; sending it anyway.`,
    )
  }
}

/**
 * The model and source lines of a gateway reply, with the TEE node when known.
 *
 * @example
 * ```ts
 * printGatewaySource(context, 'devnet/tiny', reply.tee)
 * ```
 */
export function printGatewaySource(
  context: CommandContext,
  model: string,
  tee: TeeMetadata | undefined,
) {
  context.print(`Model: ${model}`)
  context.print('Source: OpenGradient TEE')
  if (tee?.teeId || tee?.endpoint) {
    context.print('TEE Node:')
    if (tee.endpoint) context.print(`  Endpoint: ${tee.endpoint}`)
    if (tee.teeId) context.print(`  TEE ID: ${tee.teeId}`)
    if (tee.paymentAddress) context.print(`  Payment address: ${tee.paymentAddress}`)
  }
}

/**
 * The model and transaction lines of an on-chain reply.
 *
 * @example
 * ```ts
 * printOnChainSource(context, model, result.transactionHash)
 * ```
 */
export function printOnChainSource(
  context: CommandContext,
  model: string,
  transactionHash: `0x${string}`,
) {
  context.print(`Model CID: ${model}`)
  // Without 0x, as the reference printed it; the link carries the prefixed form.
  context.print(`Transaction hash: ${transactionHash.slice(2)}`)
  const explorer = context.getChain().opengradient.explorerTxUrl
  if (explorer) context.print(`Block explorer link: ${explorer}${transactionHash}`)
}

/**
 * Tool calls as the reference prints them.
 *
 * @example
 * ```ts
 * printToolCalls(context, reply.toolCalls) // Tool Calls: / Function: … / Arguments: …
 * ```
 */
export function printToolCalls(context: CommandContext, toolCalls: readonly ToolCall[]) {
  if (toolCalls.length === 0) return
  context.print('Tool Calls:')
  for (const call of toolCalls) {
    context.print(`  Function: ${call.function.name}`)
    context.print(`  Arguments: ${call.function.arguments}`)
  }
}
