import { devnet } from '@opengradient/core'
import type { Account, Address } from 'viem'
import {
  type ChatParameters,
  type ChatReturnType,
  type ChatStreamOption,
  chat,
} from '../actions/chat.js'
import {
  type CompletionParameters,
  type CompletionReturnType,
  completion,
} from '../actions/completion.js'
import {
  defaultSettlementMode,
  parseSettlementMode,
  type SettlementMode,
  type SettlementModeInput,
} from '../utils/settlementMode.js'

/** What {@link LlmClientConfig.onResponse} learns about the request a response answers. */
export type LlmResponseInfo = {
  url: string
  method: string
  /** The JSON body that was sent. */
  body: unknown
}

/**
 * Called with every HTTP response of the gateway before its body is read: for logging, or to
 * read headers (payment, settlement, TEE proofs) the client does not map.
 */
export type OnLlmResponse = (response: Response, info: LlmResponseInfo) => void | Promise<void>

export type LlmClientConfig = {
  /**
   * The gateway's base URL (requests go to `<baseUrl>/v1/chat/completions` and
   * `<baseUrl>/v1/completions`).
   * @default the local devnet's gateway, `http://127.0.0.1:8545`
   */
  baseUrl?: string | undefined
  /**
   * The paying account, for a payment-aware `fetch` (x402) built around this client. Kept on
   * the client; requests themselves never carry it.
   */
  account?: Account | Address | undefined
  /**
   * The `fetch` every request goes through; wrap it to add payments, TLS pinning or logging.
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch | undefined
  /** Headers added to every request. */
  headers?: HeadersInit | undefined
  /**
   * Milliseconds a request may take: the whole answer for plain calls, the wait for the first
   * byte of headers for streams.
   * @default 60_000
   */
  timeout?: number | undefined
  /**
   * Retries of a request that provably never reached the server (connection refused, DNS
   * failure) or that the server refused with 429 / 503. Nothing else is ever retried.
   * @default 2
   */
  retryCount?: number | undefined
  /**
   * Base delay between retries in ms, doubled each time; a `retry-after` header takes precedence.
   * @default 500
   */
  retryDelay?: number | undefined
  /** Called with every response before its body is read. */
  onResponse?: OnLlmResponse | undefined
  /**
   * `X-SETTLEMENT-TYPE` of every call, unless the call says otherwise. Older names
   * (`settle-batch`, `SETTLE_METADATA`, …) are accepted.
   * @default 'batch'
   */
  settlementMode?: SettlementModeInput | undefined
}

/** A client of an OpenAI-compatible OpenGradient LLM gateway. */
export type LlmClient = {
  baseUrl: string
  account: Account | Address | undefined
  fetch: typeof globalThis.fetch
  headers: HeadersInit | undefined
  timeout: number
  retryCount: number
  retryDelay: number
  onResponse: OnLlmResponse | undefined
  settlementMode: SettlementMode
  /** Chat: a reply, or with `stream: true` a stream of chunks. See {@link chat}. */
  chat<const stream extends ChatStreamOption = undefined>(
    parameters: ChatParameters<stream>,
  ): Promise<ChatReturnType<stream>>
  /** Completes a prompt. See {@link completion}. */
  completion(parameters: CompletionParameters): Promise<CompletionReturnType>
}

/**
 * Creates a client of the OpenGradient LLM gateway: OpenAI-style chat and completions served
 * from TEEs, with the gateway's TEE signatures and settlement metadata on every reply. Every
 * action is also a standalone function taking the client.
 *
 * @example
 * ```ts
 * import { createLlmClient } from '@opengradient/llm'
 *
 * const client = createLlmClient({ baseUrl: 'http://127.0.0.1:8545' })
 * const { message } = await client.chat({
 *   model: 'devnet/tiny',
 *   messages: [{ role: 'user', content: 'Tell me about the river.' }],
 * })
 * console.log(message.content)
 * ```
 */
export function createLlmClient(config: LlmClientConfig = {}): LlmClient {
  const timeout = config.timeout ?? 60_000
  const retryCount = config.retryCount ?? 2
  const retryDelay = config.retryDelay ?? 500
  if (!(timeout > 0)) throw new TypeError(`"timeout" must be a positive number, got ${timeout}.`)
  if (!Number.isInteger(retryCount) || retryCount < 0) {
    throw new TypeError(`"retryCount" must be a non-negative integer, got ${retryCount}.`)
  }
  const client: LlmClient = {
    baseUrl: config.baseUrl ?? devnet.opengradient.llmGatewayUrl,
    account: config.account,
    fetch: config.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    headers: config.headers,
    timeout,
    retryCount,
    retryDelay,
    onResponse: config.onResponse,
    settlementMode:
      config.settlementMode === undefined
        ? defaultSettlementMode
        : parseSettlementMode(config.settlementMode),
    chat: (parameters) => chat(client, parameters),
    completion: (parameters) => completion(client, parameters),
  }
  return client
}
