// Configuration of the devnet's LLM gateway and the interface its backends implement.
import type { LlmPaymentsConfig } from './paymentGate.js'
import type { TeeSigner } from './tee.js'

/** A tool call a script makes. */
export type ScriptedToolCall = {
  /** @default `call_<n>` */
  id?: string | undefined
  name: string
  /** The arguments: an object (serialised as the gateway does) or JSON text as is. */
  arguments?: Record<string, unknown> | string | undefined
}

/** One scripted reply, chosen when its `when` matches the request. */
export type ScriptedReply = {
  /** Conditions, all of which must hold; no conditions match every request. */
  when?:
    | {
        /** Text the last user message (or the prompt) contains. */
        userIncludes?: string | undefined
        /** Role of the last message, e.g. `tool` for the turn after a tool result. */
        lastRole?: string | undefined
        /** Whether the request carries tools. */
        hasTools?: boolean | undefined
        endpoint?: 'chat' | 'completion' | undefined
      }
    | undefined
  /**
   * The reply's text: a string (streamed word by word) or the exact chunks to stream.
   * @default '' (or the echo of the last user message when there are no tool calls)
   */
  content?: string | readonly string[] | undefined
  toolCalls?: readonly ScriptedToolCall[] | undefined
  /**
   * How tool calls stream: `buffered` as one complete delta per call after the content (OpenAI,
   * Anthropic), `fragments` as a name delta then argument pieces (Gemini, xAI).
   * @default 'buffered'
   */
  toolCallStreaming?: 'buffered' | 'fragments' | undefined
  /** @default 'tool_calls' with tool calls, else 'stop' */
  finishReason?: string | undefined
  /** Fails the request: with `status` before any output, else as an error event after `afterChunks` chunks. */
  error?:
    | {
        status?: number | undefined
        message?: string | undefined
        afterChunks?: number | undefined
      }
    | undefined
  /** Milliseconds between streamed chunks. @default 0 */
  chunkDelayMs?: number | undefined
}

/** The script of a scripted model: replies tried in order; the first that matches answers. */
export type LlmScript = { replies: readonly ScriptedReply[] }

/** How a model id is served. */
export type LlmModelConfig =
  | {
      /** The devnet's tiny language model, run by the ONNX engine. */
      backend: 'tiny'
    }
  | {
      /** Answers from a script; without one, echoes the last user message. */
      backend: 'script'
      script?: LlmScript | undefined
    }
  | {
      /** Forwards to an OpenAI-compatible server. */
      backend: 'upstream'
      /** Base URL, e.g. `https://api.openai.com` or `http://127.0.0.1:11434` (`/v1/…` is appended). */
      url: string
      /** Sent as `Authorization: Bearer <apiKey>`. */
      apiKey?: string | undefined
      /** The upstream's model name. @default the wire id (the part after the provider prefix) */
      model?: string | undefined
      /** Extra headers of every upstream request. */
      headers?: Readonly<Record<string, string>> | undefined
    }

/** Configuration of the devnet's LLM gateway. */
export type LlmGatewayConfig = {
  /**
   * Models by full id (`<provider>/<model>`), added to (and overriding) the defaults:
   * `devnet/tiny` (tiny model) and `devnet/script` (script backend).
   */
  models?: Readonly<Record<string, LlmModelConfig>> | undefined
  /**
   * Also serve every known model id (the seed-era `LLM` ids and the gateway's `TEE_LLM` ids) with
   * the tiny model, so code written for the real network runs unchanged.
   * @default true
   */
  aliasKnownModels?: boolean | undefined
  /** The script of `devnet/script` and of script models without their own. */
  script?: LlmScript | undefined
  /**
   * Signs `tee_signature` (and its public key is what the registry lists).
   * @default the RSA-2048 key kept in `<dataDir>/tee/signing-key.pem`, created at the first start
   */
  teeSigner?: TeeSigner | undefined
  /**
   * Milliseconds between checks of the TEE's registry heartbeat; a heartbeat is sent when the
   * last one is older than a quarter of the registry's timeout (in block time).
   * @default 30_000
   */
  teeHeartbeatCheckInterval?: number | undefined
  /**
   * x402 payments on the TEE's HTTPS routes (the front's plain `/v1/*` routes never ask for
   * one); `false` turns them off.
   * @default {} (`upto` with a 0.1 OPG cap per session, settled on the devnet chain in OPG)
   */
  payments?: LlmPaymentsConfig | false | undefined
}

/** A request as a backend sees it. */
export type GenerationRequest = {
  endpoint: 'chat' | 'completion'
  /** The configured full id of the model. */
  model: string
  /** Chat messages (OpenAI shape); for completions, empty. */
  messages: readonly Record<string, unknown>[]
  /** Completions only. */
  prompt: string
  maxTokens: number
  stop: readonly string[]
  temperature: number
  seed: number | undefined
  tools: readonly Record<string, unknown>[] | undefined
  toolChoice: unknown
  responseFormat: Record<string, unknown> | undefined
  stream: boolean
  /** A script sent with the request, over the configured one. */
  script: LlmScript | undefined
  /** The body as received, for backends that forward it. */
  body: Record<string, unknown>
  /** Aborted when the client went away. */
  signal: AbortSignal
}

/** What a backend produces, in order; `finish` comes last. */
export type GenerationEvent =
  | { type: 'content'; text: string }
  | {
      type: 'toolCall'
      index: number
      id?: string | undefined
      name?: string | undefined
      arguments?: string | undefined
    }
  | {
      type: 'finish'
      finishReason: string
      usage?: { promptTokens: number; completionTokens: number } | undefined
    }

/** Produces the events of one reply. */
export type LlmBackend = (request: GenerationRequest) => AsyncIterable<GenerationEvent>
