import {
  type BaseErrorType,
  type HttpErrorType,
  InvalidInputError,
  type InvalidInputErrorType,
  InvalidResponseError,
  type InvalidResponseErrorType,
  type StreamErrorType,
  type TeeLlmId,
  type TeeVerificationErrorType,
  type TimeoutErrorType,
} from '@opengradient/core'
import type { LlmClient } from '../client/createLlmClient.js'
import { chatStreamFromOutput, createChatStream } from '../http/chatStream.js'
import {
  flattenContent,
  isObject,
  resolveImages,
  settlementOf,
  teeMetadataOf,
  toolCallsOf,
  usageOf,
} from '../http/parseResponse.js'
import { sendGatewayRequest } from '../http/request.js'
import { shouldVerify, verifyReply } from '../tee/verifyReply.js'
import type {
  ChatMessage,
  ChatOutput,
  ChatStream,
  ChatTool,
  ResponseFormat,
  ToolChoice,
} from '../types.js'
import { parseSettlementMode, type SettlementModeInput } from '../utils/settlementMode.js'
import {
  checkMaxTokens,
  checkStop,
  checkTemperature,
  wireResponseFormat,
} from '../utils/validate.js'
import { toWireModel } from '../utils/wireModel.js'

/** `stream` as a type parameter: `true` gives a stream, anything else a reply. */
export type ChatStreamOption = boolean | undefined

export type ChatParameters<stream extends ChatStreamOption = ChatStreamOption> = {
  /** `<provider>/<model>`, e.g. `anthropic/claude-haiku-4-5`; the provider prefix is stripped on the wire. */
  model: TeeLlmId
  /** OpenAI chat messages, sent untouched. */
  messages: readonly ChatMessage[]
  /** @default 100 */
  maxTokens?: number | undefined
  /** Sequences that end the reply; sent only when non-empty. */
  stop?: readonly string[] | undefined
  /** @default 0 */
  temperature?: number | undefined
  /** Functions the model may call; sent only when non-empty. */
  tools?: readonly ChatTool[] | undefined
  /** Sent only with tools. @default 'auto' (when tools are given) */
  toolChoice?: ToolChoice | undefined
  /** The reply's shape: plain text, any JSON object, or JSON matching a schema. */
  responseFormat?: ResponseFormat | undefined
  /** Lets the provider search the web (billed per search). @default false */
  webSearch?: boolean | undefined
  /** `X-SETTLEMENT-TYPE` of this call. @default the client's `settlementMode` */
  settlementMode?: SettlementModeInput | undefined
  /** Stream the reply as chunks. @default false */
  stream?: stream | undefined
  /**
   * With tools and `stream: true`, send one plain request and yield its reply as a single final
   * chunk, as the reference does. Off, tool calls stream as deltas and are assembled on the
   * final chunk.
   * @default true
   */
  toolStreamingFallback?: boolean | undefined
  /**
   * Verify the TEE signature, and attach the `proof` (to the reply, or to a stream's final
   * chunk); a failure throws a `TeeVerificationError`. A stream can only be verified after its
   * last event: the text it yields stays unverified until the final chunk arrives, and the
   * iterator throws instead of ending when verification fails.
   * @default the client's `verify`
   */
  verify?: boolean | undefined
  /** Headers of this call, over the client's. */
  headers?: HeadersInit | undefined
  /** Cancels the call, or the stream while it is read. */
  signal?: AbortSignal | undefined
}

/** A reply (`stream` false or absent) or a stream of chunks (`stream: true`). */
export type ChatReturnType<stream extends ChatStreamOption = undefined> = stream extends true
  ? ChatStream
  : ChatOutput

export type ChatErrorType =
  | InvalidInputErrorType
  | HttpErrorType
  | TimeoutErrorType
  | InvalidResponseErrorType
  | StreamErrorType
  | TeeVerificationErrorType
  | BaseErrorType

/**
 * Sends a chat to the gateway's `/v1/chat/completions`.
 *
 * Without `stream` it resolves to the reply: `finishReason`, the assistant `message` (content
 * blocks flattened for display, the raw blocks kept, images as `data:` URIs), `toolCalls`,
 * `usage`, the TEE signature and hashes, settlement metadata and the raw body.
 *
 * With `stream: true` it resolves, once the gateway accepted the request, to an async iterable
 * of chunks. The last chunk (`isFinal`) carries the usage, TEE and settlement metadata and the
 * assembled message; a gateway error event throws a `StreamError`; leaving the loop early
 * closes the connection.
 *
 * With `verify` (or the client's), the TEE signature is checked and the `proof` attached; a
 * stream checks it after its last event, so its text is unverified until the final chunk.
 *
 * @example
 * ```ts
 * import { chat } from '@opengradient/llm'
 *
 * const reply = await chat(client, {
 *   model: 'devnet/tiny',
 *   messages: [{ role: 'user', content: 'Where does the river go?' }],
 *   maxTokens: 40,
 * })
 * console.log(reply.finishReason, reply.message.content)
 *
 * const stream = await chat(client, { model: 'devnet/tiny', messages, stream: true })
 * for await (const chunk of stream) process.stdout.write(chunk.delta.content ?? '')
 * ```
 */
export async function chat<const stream extends ChatStreamOption = undefined>(
  client: LlmClient,
  parameters: ChatParameters<stream>,
): Promise<ChatReturnType<stream>> {
  const { model, messages, tools, toolChoice, responseFormat, signal } = parameters
  const wireModel = toWireModel(model)
  if (!Array.isArray(messages)) {
    throw new InvalidInputError('"messages" must be an array of chat messages.')
  }
  const settlementMode =
    parameters.settlementMode === undefined
      ? client.settlementMode
      : parseSettlementMode(parameters.settlementMode)

  const body: Record<string, unknown> = {
    model: wireModel,
    messages,
    max_tokens: checkMaxTokens(parameters.maxTokens ?? 100),
    temperature: checkTemperature(parameters.temperature ?? 0),
  }
  const stop = checkStop(parameters.stop)
  if (stop.length > 0) body.stop = stop
  if (tools && tools.length > 0) {
    body.tools = tools
    body.tool_choice = toolChoice ?? 'auto'
  }
  if (responseFormat) body.response_format = wireResponseFormat(responseFormat, model)
  if (parameters.webSearch) body.web_search = true
  const verify = shouldVerify(client, parameters.verify)

  const streamed = parameters.stream === true
  const fallback =
    streamed && body.tools !== undefined && parameters.toolStreamingFallback !== false
  if (streamed && !fallback) {
    body.stream = true
    const request = await sendGatewayRequest(client, {
      path: '/v1/chat/completions',
      body,
      settlementMode,
      stream: true,
      operation: 'chat',
      headers: parameters.headers,
      signal,
    })
    return createChatStream({
      client,
      request,
      settlementMode,
      signal,
      verify: verify
        ? (reply) =>
            verifyReply(client, {
              request,
              body,
              endpoint: 'chat',
              output: { endpoint: 'chat', ...reply.output },
              fields: reply.event,
            })
        : undefined,
    }) as ChatReturnType<stream>
  }

  const request = await sendGatewayRequest(client, {
    path: '/v1/chat/completions',
    body,
    settlementMode,
    stream: false,
    operation: 'chat',
    headers: parameters.headers,
    signal,
  })
  let text: string
  try {
    text = await request.response.text()
  } catch (error) {
    throw request.abortError(error)
  } finally {
    request.release()
  }
  const output = await parseChatOutput(client, {
    text,
    response: request.response,
    url: request.url,
    endpoint: request.tee?.endpoint ?? client.baseUrl,
    paymentAddress: request.tee?.paymentAddress,
    settlementMode,
    signal,
  })
  if (verify) {
    const raw = output.raw as Record<string, unknown>
    const choice = (raw.choices as unknown[])[0] as Record<string, unknown>
    const message = isObject(choice.message) ? choice.message : {}
    output.proof = await verifyReply(client, {
      request,
      body,
      endpoint: 'chat',
      output: {
        endpoint: 'chat',
        finishReason: choice.finish_reason as string | null | undefined,
        content: message.content,
        toolCalls: Array.isArray(message.tool_calls) ? message.tool_calls : undefined,
      },
      fields: raw,
    })
    output.tee.verified = true
  }
  return (
    fallback ? chatStreamFromOutput(output, request.response) : output
  ) as ChatReturnType<stream>
}

async function parseChatOutput(
  client: LlmClient,
  parameters: {
    text: string
    response: Response
    url: string
    /** The gateway or TEE endpoint that answered. */
    endpoint: string
    /** The registry's payment address of the TEE that answered. */
    paymentAddress?: string | undefined
    settlementMode: ReturnType<typeof parseSettlementMode>
    signal: AbortSignal | undefined
  },
): Promise<ChatOutput> {
  const { text, response, url } = parameters
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    throw new InvalidResponseError(
      'The LLM gateway answered the chat with a body that is not JSON.',
      {
        body: text.slice(0, 1000),
        url,
        cause: error,
      },
    )
  }
  if (!isObject(body)) {
    throw new InvalidResponseError('The LLM gateway answered the chat with a non-object body.', {
      body,
      url,
    })
  }
  const choice = Array.isArray(body.choices) ? body.choices[0] : undefined
  if (!isObject(choice)) {
    throw new InvalidResponseError("The LLM gateway's chat answer has no choices.", {
      body,
      url,
      metaMessages: ["Expected a non-empty 'choices' array."],
    })
  }
  const message = isObject(choice.message) ? choice.message : {}
  const toolCalls = toolCallsOf(message.tool_calls)
  const images = await resolveImages(client, message.images ?? body.images, parameters.signal)
  return {
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined,
    message: {
      role: 'assistant',
      content: flattenContent(message.content),
      rawContent: message.content ?? null,
      toolCalls,
      ...(images ? { images } : {}),
    },
    toolCalls,
    usage: usageOf(body.usage),
    tee: teeMetadataOf(body, response.headers, parameters.endpoint, parameters.paymentAddress),
    settlement: settlementOf(response.headers, body, parameters.settlementMode),
    raw: body,
  }
}
