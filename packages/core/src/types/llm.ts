/**
 * LLM ids of the on-chain era (reference 0.4.6–0.4.14), served through the inference hub.
 * Ids are free strings on chain; this table only names the known ones.
 *
 * @example
 * ```ts
 * await runLlmCompletionOnChain(client, { model: LLM.META_LLAMA_3_8B_INSTRUCT, prompt: 'Hi' })
 * ```
 */
export const LLM = {
  META_LLAMA_3_8B_INSTRUCT: 'meta-llama/Meta-Llama-3-8B-Instruct',
  LLAMA_3_2_3B_INSTRUCT: 'meta-llama/Llama-3.2-3B-Instruct',
  QWEN_2_5_72B_INSTRUCT: 'Qwen/Qwen2.5-72B-Instruct',
  META_LLAMA_3_1_70B_INSTRUCT: 'meta-llama/Llama-3.1-70B-Instruct',
  DOBBY_UNHINGED_3_1_8B: 'SentientAGI/Dobby-Mini-Unhinged-Llama-3.1-8B',
  DOBBY_LEASHED_3_1_8B: 'SentientAGI/Dobby-Mini-Leashed-Llama-3.1-8B',
} as const
/** A known on-chain-era LLM id. */
export type KnownLlmId = (typeof LLM)[keyof typeof LLM]
/** An on-chain LLM id: a known one, or any other string. */
export type LlmId = KnownLlmId | (string & {})

/**
 * Model ids of the TEE gateway (reference 1.1.3's list, plus the on-chain-era TEE model under
 * `TEE_LLM_ONCHAIN`). The gateway rejects ids it does not know; new ids are never blocked here.
 *
 * @example
 * ```ts
 * await chat(client, { model: TEE_LLM.CLAUDE_HAIKU_4_5, messages })
 * ```
 */
export const TEE_LLM = {
  GPT_4_1_2025_04_14: 'openai/gpt-4.1-2025-04-14',
  GPT_4_1_MINI: 'openai/gpt-4.1-mini',
  GPT_4_1_NANO: 'openai/gpt-4.1-nano',
  O3: 'openai/o3',
  O4_MINI: 'openai/o4-mini',
  GPT_5: 'openai/gpt-5',
  GPT_5_MINI: 'openai/gpt-5-mini',
  GPT_5_2: 'openai/gpt-5.2',
  GPT_5_4: 'openai/gpt-5.4',
  GPT_5_4_MINI: 'openai/gpt-5.4-mini',
  GPT_5_4_NANO: 'openai/gpt-5.4-nano',
  GPT_5_5: 'openai/gpt-5.5',
  GPT_IMAGE_2: 'openai/gpt-image-2',
  CLAUDE_SONNET_4_5: 'anthropic/claude-sonnet-4-5',
  CLAUDE_SONNET_4_6: 'anthropic/claude-sonnet-4-6',
  CLAUDE_HAIKU_4_5: 'anthropic/claude-haiku-4-5',
  CLAUDE_OPUS_4_5: 'anthropic/claude-opus-4-5',
  CLAUDE_OPUS_4_6: 'anthropic/claude-opus-4-6',
  CLAUDE_OPUS_4_7: 'anthropic/claude-opus-4-7',
  CLAUDE_OPUS_4_8: 'anthropic/claude-opus-4-8',
  GEMINI_2_5_FLASH: 'google/gemini-2.5-flash',
  GEMINI_2_5_PRO: 'google/gemini-2.5-pro',
  GEMINI_2_5_FLASH_LITE: 'google/gemini-2.5-flash-lite',
  GEMINI_3_FLASH: 'google/gemini-3-flash-preview',
  GEMINI_3_1_PRO_PREVIEW: 'google/gemini-3.1-pro-preview',
  GEMINI_3_1_FLASH_LITE_PREVIEW: 'google/gemini-3.1-flash-lite-preview',
  GEMINI_3_5_FLASH: 'google/gemini-3.5-flash',
  GEMINI_2_5_FLASH_IMAGE: 'google/gemini-2.5-flash-image',
  GEMINI_3_1_FLASH_IMAGE: 'google/gemini-3.1-flash-image',
  GROK_4: 'x-ai/grok-4',
  GROK_4_FAST: 'x-ai/grok-4-fast',
  GROK_4_1_FAST: 'x-ai/grok-4-1-fast',
  GROK_4_1_FAST_NON_REASONING: 'x-ai/grok-4-1-fast-non-reasoning',
  GROK_4_20_REASONING: 'x-ai/grok-4.20-reasoning',
  GROK_4_20_NON_REASONING: 'x-ai/grok-4.20-non-reasoning',
  GROK_CODE_FAST_1: 'x-ai/grok-code-fast-1',
  GROK_2_IMAGE: 'x-ai/grok-2-image',
  SEED_1_6: 'bytedance/seed-1.6',
  SEED_1_8: 'bytedance/seed-1.8',
  SEED_2_0_LITE: 'bytedance/seed-2.0-lite',
  DEEPSEEK_V4_FLASH: 'bytedance/deepseek-v4-flash',
  DEEPSEEK_V4_PRO: 'bytedance/deepseek-v4-pro',
  SEEDREAM_4_0: 'bytedance/seedream-4.0',
  SEEDANCE_4_5: 'bytedance/seedance-4.5',
  HERMES_4_405B: 'nous/hermes-4-405b',
  HERMES_4_70B: 'nous/hermes-4-70b',
  GLM_5_2: 'zai/glm-5.2',
  GLM_IMAGE: 'zai/glm-image',
} as const
/** A known TEE gateway model id. */
export type KnownTeeLlmId = (typeof TEE_LLM)[keyof typeof TEE_LLM]
/** A TEE gateway model id: a known one, or any other string. */
export type TeeLlmId = KnownTeeLlmId | (string & {})

/** The TEE model of the on-chain era (0.4.x `TEE_LLM`). */
export const TEE_LLM_ONCHAIN = {
  META_LLAMA_3_1_70B_INSTRUCT: 'meta-llama/Llama-3.1-70B-Instruct',
} as const

/** Models whose replies carry images (1.1.3 list). */
export const imageOutputModels: readonly KnownTeeLlmId[] = [
  TEE_LLM.GPT_IMAGE_2,
  TEE_LLM.GEMINI_2_5_FLASH_IMAGE,
  TEE_LLM.GEMINI_3_1_FLASH_IMAGE,
  TEE_LLM.GROK_2_IMAGE,
  TEE_LLM.SEEDREAM_4_0,
  TEE_LLM.SEEDANCE_4_5,
  TEE_LLM.GLM_IMAGE,
]

/** A tool call of an assistant message, in the OpenAI shape with JSON-text arguments. */
export type ToolCall = {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

/** An assistant message as returned by chat. */
export type ChatOutputMessage = {
  role: 'assistant'
  /**
   * The text. When the model answered with content blocks, the texts of its `text` blocks
   * joined with one space (for display; the blocks stay in `rawContent`).
   */
  content: string | null
  /** `content` exactly as the server sent it: a string, null, or an array of content blocks. */
  rawContent?: unknown
  toolCalls: ToolCall[]
  /** Images of image-output models, as `data:` URIs. */
  images?: string[] | undefined
}

/** Token counts of a reply. */
export type TokenUsage = {
  promptTokens: number
  completionTokens: number
  totalTokens: number
}

/** TEE metadata of a reply: the signature and hashes the gateway returned and the TEE used. */
export type TeeMetadata = {
  signature: string | undefined
  /** Unix seconds (older gateways' ISO timestamps are converted). */
  timestamp: number | undefined
  requestHash: string | undefined
  outputHash: string | undefined
  teeId: string | undefined
  endpoint: string | undefined
  paymentAddress: string | undefined
  /** True once `verifyTeeResponse` checked the signature; undefined when not checked. */
  verified: boolean | undefined
}

/** Payment and settlement metadata of a reply, from the x402 and settlement headers. */
export type SettlementMetadata = {
  mode: string | undefined
  paymentResponse: unknown
  paymentHash: string | undefined
  transactionHash: string | undefined
  blobId: string | undefined
  /** The x402 payment made for this call, when the client paid (or charged an upto session). */
  payment?: PaymentDetails | undefined
}

/** The x402 payment behind one LLM call. Amounts are base units of the asset, as decimal strings. */
export type PaymentDetails = {
  /** `upto` (Permit2, a spending cap settled later) or `exact` (EIP-3009, settled per call). */
  scheme: string
  /** CAIP-2 network, e.g. `eip155:8453`. */
  network: string
  /** The token paid with (OPG). */
  asset: string
  /** The most this payment authorises: the upto session's cap, or the exact price. */
  amount: string
  payTo: string
  payer: string
  /** The upto session the call was charged to (`X-Upto-Session`). */
  session: string | undefined
  /** True when the call was charged to an existing upto session, with no new signature. */
  reusedSession: boolean
}

/**
 * The result of an LLM call (`TextGenerationOutput` of the reference), for chat and completion.
 * For on-chain calls `transactionHash` is set; for gateway calls `tee` and `settlement` are.
 */
export type TextGenerationOutput = {
  finishReason: string | undefined
  /** Chat only. */
  message?: ChatOutputMessage | undefined
  /** Completion only. */
  text?: string | undefined
  toolCalls: ToolCall[]
  usage: TokenUsage | undefined
  tee: TeeMetadata
  settlement: SettlementMetadata
  transactionHash?: `0x${string}` | undefined
  /** The response body as received (for a stream, the final chunk's event), for fields not mapped here. */
  raw?: unknown
}
