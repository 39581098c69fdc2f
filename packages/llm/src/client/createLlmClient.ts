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
  type CreateX402FetchParameters,
  createX402Fetch,
  type PaymentSigner,
  type X402Fetch,
} from '../payments/createX402Fetch.js'
import type { TeeConnection } from '../tee/types.js'
import type { TeePublicKey } from '../tee/verifyTeeResponse.js'
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
   * `<baseUrl>/v1/completions`). Not used for LLM calls when `tee` is set.
   * @default the local devnet's gateway, `http://127.0.0.1:8545`
   */
  baseUrl?: string | undefined
  /**
   * Send every call to a TEE of the TEE registry instead of `baseUrl`: a connection from
   * `createTeeConnection` (`@opengradient/llm/node`, TLS pinned to the registry's certificate)
   * or {@link createUnpinnedTeeConnection} (browsers; needs `allowUnpinnedTls`).
   *
   * Each attempt goes to the connection's current TEE. A request that could not reach it with
   * nothing sent (connection refused, DNS, TLS handshake, certificate mismatch) makes the
   * connection re-read the registry and is retried once on the new choice (not with
   * `retryCount: 0`); HTTP errors, cancellations and failures after sending are never retried.
   * The replies' `tee.endpoint` is the TEE's, and the answers can be verified with the
   * registry's key of that TEE.
   */
  tee?: TeeConnection | undefined
  /**
   * Accept a `tee` connection whose TLS is not pinned to the registry's certificate. Browsers
   * cannot pin (their `fetch` trusts the platform's authorities, and a TEE's certificate is
   * self-signed), so a browser client needs this; the registry key still verifies the answers.
   * @default false
   */
  allowUnpinnedTls?: boolean | undefined
  /**
   * The paying account. A signing account (a viem `LocalAccount`, e.g. `privateKeyToAccount`)
   * makes the client pay the gateway's x402 402 answers (see {@link LlmClientConfig.payment}).
   * An address alone cannot sign, so no payment is made.
   */
  account?: Account | Address | undefined
  /**
   * x402 payment settings, used when `account` can sign; `false` never pays. At most one payment
   * is signed per request, offers above `maxPayment` are refused before signing, `upto` sessions
   * are reused. See {@link createX402Fetch}.
   * @default { network: 'eip155:10744' } for the default devnet gateway, else { network: 'eip155:8453' } (Base), maxPayment 0.1 OPG
   */
  payment?: LlmPaymentConfig | false | undefined
  /**
   * The `fetch` every request goes through; wrap it to add payments, TLS pinning or logging.
   * With `tee`, requests to the TEE go through the connection's (pinned) transport instead, and
   * this `fetch` serves only other URLs (images of replies).
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
  /**
   * Strict mode: verify the TEE signature of every answer (see `verifyTeeResponse`) before it is
   * returned, and attach the `proof`; an answer that fails throws a `TeeVerificationError`. A
   * stream verifies after its last event: its text is unverified until the final chunk arrives.
   * Each call can override it.
   * @default false
   */
  verify?: boolean | undefined
  /**
   * The signing key of the gateway's TEE, for `verify`: the PEM its `/signing-key` serves, or the
   * hex (or bytes) DER SubjectPublicKeyInfo the TEE registry holds. A TEE resolved from the
   * registry brings its own key.
   */
  teePublicKey?: TeePublicKey | undefined
}

/** Payment settings of a client: {@link CreateX402FetchParameters} without the account and transport. */
export type LlmPaymentConfig = Omit<CreateX402FetchParameters, 'account' | 'fetch'>

/** A client of an OpenAI-compatible OpenGradient LLM gateway. */
export type LlmClient = {
  baseUrl: string
  /** The TEE connection calls go through, when the client uses the registry. */
  tee: TeeConnection | undefined
  account: Account | Address | undefined
  /** The payment layer (network, limit, upto sessions), when the client pays. */
  payment: Pick<X402Fetch, 'network' | 'maxPayment' | 'sessions'> | undefined
  /** The fetch requests go through: the payment layer over the configured `fetch`. */
  fetch: typeof globalThis.fetch
  headers: HeadersInit | undefined
  timeout: number
  retryCount: number
  retryDelay: number
  onResponse: OnLlmResponse | undefined
  settlementMode: SettlementMode
  /** Whether calls verify the TEE signature unless they say otherwise. */
  verify: boolean
  /** The configured signing key of the gateway's TEE. */
  teePublicKey: TeePublicKey | undefined
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
  const { tee } = config
  if (tee && !tee.pinned && !config.allowUnpinnedTls) {
    throw new TypeError(
      'The "tee" connection does not pin TLS to the registry\'s certificates. Use createTeeConnection of "@opengradient/llm/node" where node:https exists, or pass "allowUnpinnedTls: true" to accept it.',
    )
  }
  const configuredFetch: typeof globalThis.fetch =
    config.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const transport = tee ? teeTransport(tee, configuredFetch) : configuredFetch
  const payingFetch = paymentFetchOf(config, transport)
  const client: LlmClient = {
    baseUrl: config.baseUrl ?? devnet.opengradient.llmGatewayUrl,
    tee,
    account: config.account,
    payment: payingFetch,
    fetch: payingFetch ?? transport,
    headers: config.headers,
    timeout,
    retryCount,
    retryDelay,
    onResponse: config.onResponse,
    settlementMode:
      config.settlementMode === undefined
        ? defaultSettlementMode
        : parseSettlementMode(config.settlementMode),
    verify: config.verify ?? false,
    teePublicKey: config.teePublicKey,
    chat: (parameters) => chat(client, parameters),
    completion: (parameters) => completion(client, parameters),
  }
  return client
}

function paymentFetchOf(
  config: LlmClientConfig,
  transport: typeof globalThis.fetch,
): X402Fetch | undefined {
  const { account, payment } = config
  if (payment === false || account === undefined) return undefined
  const canSign =
    typeof account === 'object' &&
    'signTypedData' in account &&
    typeof account.signTypedData === 'function'
  if (!canSign) {
    if (payment === undefined) return undefined
    throw new TypeError(
      '"payment" needs an "account" that can sign (a viem LocalAccount, e.g. privateKeyToAccount(key)).',
    )
  }
  return createX402Fetch({
    // The default client talks to the devnet, whose gateway takes OPG on the devnet chain.
    network:
      config.baseUrl === undefined && config.tee === undefined
        ? `eip155:${devnet.id}`
        : 'eip155:8453',
    ...payment,
    account: account as PaymentSigner,
    fetch: transport,
  })
}

// The payment layer (and any wrapper) is built once around one transport, while the TEE changes
// per attempt. So the transport routes by URL: a request under the endpoint of a TEE the
// connection resolved goes through that TEE's pinned fetch, anything else (images of replies)
// through the configured fetch. Wrappers keep the URL, so no side channel is needed.
function teeTransport(
  tee: TeeConnection,
  fallback: typeof globalThis.fetch,
): typeof globalThis.fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input
    return (tee.transportFor(url) ?? fallback)(input, init)
  }
}
