// What `og completion` and `og chat` share: options, the gateway client, and the reference's lines.
import {
  LLM,
  type PaymentDetails,
  parseLlmInferenceMode,
  TEE_LLM,
  type TeeMetadata,
  type ToolCall,
} from '@opengradient/core'
import {
  createLlmClient,
  type LlmClient,
  parseSettlementMode,
  type TeeConnection,
  type TeeProof,
} from '@opengradient/llm'
import { createTeeConnection } from '@opengradient/llm/node'
import { createOnChainLlmClient } from '@opengradient/llm/onchain'
import { createPublicClient, http, type PrivateKeyAccount } from 'viem'
import type { CommandContext } from '../context.js'
import { CliUsageError, MissingPrivateKeyError } from '../errors.js'
import { paymentChainOf, paymentLines } from './llmPayments.js'

/** Options both LLM commands take. */
export type LlmCommandOptions = {
  model: string
  maxTokens?: string | undefined
  stop?: string[] | undefined
  stopSequence?: string[] | undefined
  temperature?: string | undefined
  onchain?: boolean | undefined
  mode?: string | undefined
  /** `--settlement`: private, batch or individual (older names accepted). */
  settlement?: string | undefined
  /** Alias of `settlement`. */
  x402SettlementMode?: string | undefined
  /** Alias of `settlement`. */
  settlementMode?: string | undefined
  webSearch?: boolean | undefined
  llmUrl?: string | undefined
  /** The most one x402 payment may authorise, in OPG (decimal). */
  maxPayment?: string | undefined
  /** Verify the TEE signature of the answer (strict mode). */
  verify?: boolean | undefined
  /** Send the call to a TEE of the network's TEE registry, TLS pinned, paid with x402. */
  tee?: boolean | undefined
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
 * Rejects gateway-only options with `--onchain`, `--mode` without it, `--tee` with `--llm-url`,
 * and a `--max-payment` that is not a decimal OPG amount.
 *
 * @example
 * ```ts
 * checkTransport({ model, mode: 'TEE' }) // throws: --mode needs --onchain
 * ```
 */
export function checkTransport(options: LlmCommandOptions): void {
  if (options.onchain) {
    if (
      settlementModeOf(options) !== undefined ||
      options.webSearch ||
      options.llmUrl ||
      options.maxPayment !== undefined ||
      options.verify ||
      options.tee
    ) {
      throw new CliUsageError(
        '--settlement, --max-payment, --verify, --tee, --web-search and --llm-url apply to the LLM gateway, not to --onchain.',
      )
    }
    return
  }
  if (options.mode !== undefined) {
    throw new CliUsageError('--mode applies to on-chain calls: add --onchain.')
  }
  if (options.tee && options.llmUrl) {
    throw new CliUsageError(
      '--tee finds the TEE in the TEE registry; --llm-url names a server: give one of them.',
    )
  }
  const { maxPayment } = options
  if (maxPayment !== undefined && !/^\d+(\.\d{1,18})?$/.test(maxPayment)) {
    throw new CliUsageError(
      `--max-payment must be a decimal OPG amount like 0.1, got "${maxPayment}".`,
    )
  }
}

/** The client of a gateway command, and what to release when the command ends. */
export type GatewayConnection = {
  client: LlmClient
  /** The registry connection, with `--tee` (or by default where no gateway URL is known). */
  tee: TeeConnection | undefined
  /** Stops the registry refresh and closes the pinned connections. */
  close(): void
}

/**
 * The client of `og chat` / `og completion` on the gateway path.
 *
 * - `--tee`, and by default where the network has no fixed gateway URL and neither `--llm-url`
 *   nor `OG_LLM_URL` is given: a random active TEE of the network's TEE registry, TLS pinned to
 *   the registry's certificate, paid with x402 from the CLI's account.
 * - Else `--llm-url`, `OG_LLM_URL` or the network's gateway (the devnet serves one on its own
 *   origin); it is paid when it asks and an account is configured.
 *
 * Payments are signed for the payment chain (the devnet on `--network devnet`, else Base), up
 * to `--max-payment` each. Call `close()` when the command ends.
 *
 * @example
 * ```ts
 * const gateway = await connectGateway(context, options)
 * try {
 *   const reply = await gateway.client.chat({ model, messages })
 * } finally {
 *   gateway.close()
 * }
 * ```
 */
export async function connectGateway(
  context: CommandContext,
  options: LlmCommandOptions,
): Promise<GatewayConnection> {
  const chain = context.getChain()
  const namedUrl = options.llmUrl || context.io.env.OG_LLM_URL || undefined
  const networkUrl = chain.opengradient.llmGatewayUrl
  const useTee = options.tee === true || (!namedUrl && !networkUrl)
  if (options.verify && !useTee) {
    throw new CliUsageError(
      "--verify checks the answer with the TEE registry's key of the TEE that served it: add --tee.",
    )
  }
  const settlementMode = settlementModeOf(options)
  const account = useTee ? await context.getAccount() : await configuredAccount(context)
  const tee = useTee
    ? createTeeConnection({ publicClient: createPublicClient({ chain, transport: http() }) })
    : undefined
  const client = createLlmClient({
    ...(useTee ? { tee } : { baseUrl: namedUrl ?? networkUrl }),
    account,
    payment: {
      network: `eip155:${paymentChainOf(context, {}).id}`,
      ...(options.maxPayment !== undefined ? { maxPayment: options.maxPayment } : {}),
    },
    verify: options.verify === true,
    ...(settlementMode !== undefined
      ? { settlementMode: parseSettlementModeOption(settlementMode) }
      : {}),
  })
  return { client, tee, close: () => tee?.close() }
}

// The account of a call to a named gateway: it pays only when the server asks, so without a key
// the CLI still calls gateways that ask for nothing.
async function configuredAccount(context: CommandContext): Promise<PrivateKeyAccount | undefined> {
  try {
    return await context.getAccount()
  } catch (error) {
    if (error instanceof MissingPrivateKeyError) return undefined
    throw error
  }
}

function settlementModeOf(options: LlmCommandOptions): string | undefined {
  return options.settlement ?? options.x402SettlementMode ?? options.settlementMode
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

/** What the output of a gateway call shows beyond its text. */
export type GatewayReply = {
  tee?: TeeMetadata | undefined
  settlement?: { payment?: PaymentDetails | undefined } | undefined
  proof?: TeeProof | undefined
}

/**
 * The model and source lines of a gateway reply: the TEE node when known, whether its signature
 * was verified (with `--verify`), and the payment.
 *
 * @example
 * ```ts
 * printGatewaySource(context, 'devnet/tiny', reply)
 * ```
 */
export function printGatewaySource(context: CommandContext, model: string, reply: GatewayReply) {
  context.print(`Model: ${model}`)
  context.print('Source: OpenGradient TEE')
  printTeeNode(context, reply, { paymentAddress: true })
  printPayment(context, reply)
}

/**
 * The `TEE Node:` lines: endpoint, TEE id, payment address (when asked) and, for a verified
 * answer, the message hash the TEE signed.
 *
 * @example
 * ```ts
 * printTeeNode(context, final, { paymentAddress: false })
 * ```
 */
export function printTeeNode(
  context: CommandContext,
  reply: GatewayReply,
  options: { paymentAddress: boolean },
) {
  const { tee, proof } = reply
  const teeId = tee?.teeId ?? proof?.teeId
  if (!teeId && !tee?.endpoint) return
  context.print('TEE Node:')
  if (tee?.endpoint) context.print(`  Endpoint: ${tee.endpoint}`)
  if (teeId) context.print(`  TEE ID: ${teeId}`)
  if (options.paymentAddress && tee?.paymentAddress) {
    context.print(`  Payment address: ${tee.paymentAddress}`)
  }
  if (proof) context.print(`  Signature: verified (message hash ${proof.messageHash})`)
}

/**
 * The payment line of a gateway call (see `paymentLines`).
 *
 * @example
 * ```ts
 * printPayment(context, reply) // Payment: upto on eip155:10744, up to 0.1 OPG to 0x… (session …)
 * ```
 */
export function printPayment(context: CommandContext, reply: GatewayReply) {
  for (const line of paymentLines(reply.settlement?.payment)) context.print(line)
}

/**
 * The fields `--json` adds to a gateway answer: the payment, the TEE and the proof (`null` when
 * there is none).
 *
 * @example
 * ```ts
 * context.printJson({ model, ...output, ...gatewayJson(output) })
 * ```
 */
export function gatewayJson(reply: GatewayReply) {
  return {
    payment: reply.settlement?.payment ?? null,
    tee: reply.tee ?? null,
    proof: reply.proof ?? null,
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

/**
 * The on-chain LLM client of `--onchain` (the Alpha account) and the `--mode` it runs in.
 *
 * @example
 * ```ts
 * const { client, mode } = await onChainLlmClient(context, options)
 * ```
 */
export async function onChainLlmClient(context: CommandContext, options: LlmCommandOptions) {
  const mode = parseLlmInferenceMode((options.mode ?? 'VANILLA').toUpperCase())
  const client = createOnChainLlmClient({
    chain: context.getChain(),
    account: await context.getAccount({ key: 'alpha' }),
  })
  return { client, mode }
}
