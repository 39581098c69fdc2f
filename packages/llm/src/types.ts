// Request and stream types of the LLM gateway, in the OpenAI shapes it passes through.
import type {
  ChatOutputMessage,
  SettlementMetadata,
  TeeMetadata,
  TextGenerationOutput,
  TokenUsage,
  ToolCall,
} from '@opengradient/core'
import type { TeeProof } from './tee/verifyTeeResponse.js'

/** Roles a chat message may have. */
export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function'

/** A part of multimodal message content (OpenAI shape); passed to the gateway untouched. */
export type ChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: string | undefined } }
  | { type: (string & {}) | 'file'; [key: string]: unknown }

/** A tool call inside an assistant message of the history (OpenAI nested shape). */
export type ChatMessageToolCall = {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

/**
 * An OpenAI chat message. The gateway receives it exactly as given, so extra fields of newer
 * OpenAI versions pass through.
 */
export type ChatMessage = {
  role: ChatRole | (string & {})
  content?: string | readonly ChatContentPart[] | null | undefined
  name?: string | undefined
  /** Assistant messages: the tools it called. */
  tool_calls?: readonly ChatMessageToolCall[] | undefined
  /** Tool messages: the call this message answers. */
  tool_call_id?: string | undefined
  [key: string]: unknown
}

/** A function the model may call (OpenAI function-tool shape). */
export type ChatTool = {
  type: 'function'
  function: {
    name: string
    description?: string | undefined
    /** JSON Schema of the arguments. */
    parameters?: Record<string, unknown> | undefined
    strict?: boolean | undefined
  }
}

/** Whether and which tool the model must call. */
export type ToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | (string & {})
  | { type: 'function'; function: { name: string } }

/** The shape the reply must have (gateways of reference 1.0 and later). */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema'
      jsonSchema: {
        name: string
        /** A JSON Schema the reply must satisfy. */
        schema: Record<string, unknown>
        strict?: boolean | undefined
        description?: string | undefined
      }
    }

/** A piece of a tool call as a stream delivers it. */
export type ToolCallDelta = {
  index: number
  id?: string | undefined
  type?: 'function' | undefined
  function?: { name?: string | undefined; arguments?: string | undefined } | undefined
}

/** One chunk of a streamed chat reply. */
export type ChatStreamChunk = {
  /** What this chunk adds. */
  delta: {
    role?: string | undefined
    content?: string | undefined
    toolCalls?: ToolCallDelta[] | undefined
  }
  /** Set on the final chunk. */
  finishReason: string | undefined
  /**
   * True for the last chunk: it carries the usage, the TEE and settlement metadata, the
   * whole message with every tool call assembled, and nothing new in `delta` except content
   * that arrived in the final events themselves.
   */
  isFinal: boolean
  model: string
  usage: TokenUsage | undefined
  /** Final chunk only. */
  tee: TeeMetadata | undefined
  /** Final chunk only. */
  settlement: SettlementMetadata | undefined
  /** Final chunk only: the reply assembled from every chunk (content, tool calls, images). */
  message: ChatOutputMessage | undefined
  /** Final chunk only: tool calls assembled from their deltas, in index order. */
  toolCalls: ToolCall[]
  /** The event's JSON as received (for the final chunk, the final events merged). */
  raw: unknown
  /**
   * Final chunk of a verified stream (`verify: true`) only: what the TEE signature proves. The
   * text streamed before it was unverified until this chunk arrived.
   */
  proof?: TeeProof | undefined
}

/** A chat reply (`TextGenerationOutput` with the message). */
export type ChatOutput = TextGenerationOutput & {
  message: ChatOutputMessage
  /** With `verify: true`: what the TEE signature proves. */
  proof?: TeeProof | undefined
}

/** A completion reply (`TextGenerationOutput` with the text). */
export type CompletionOutput = TextGenerationOutput & {
  text: string
  /** With `verify: true`: what the TEE signature proves. */
  proof?: TeeProof | undefined
}

/**
 * A streamed chat reply: iterate it once with `for await`. Leaving the loop early (`break`,
 * `return`, an exception) closes the connection, so the server stops generating.
 */
export type ChatStream = AsyncIterable<ChatStreamChunk> & {
  /** The HTTP response (status and headers) the stream is read from. */
  readonly response: Response
  /** Stops the stream and closes the connection. */
  abort(): void
}
