import {
  type BaseErrorType,
  type HttpErrorType,
  InvalidInputError,
  type InvalidInputErrorType,
  InvalidResponseError,
  type InvalidResponseErrorType,
  type TeeLlmId,
  type TeeVerificationErrorType,
  type TimeoutErrorType,
} from '@opengradient/core'
import type { LlmClient } from '../client/createLlmClient.js'
import { isObject, settlementOf, teeMetadataOf, usageOf } from '../http/parseResponse.js'
import { sendGatewayRequest } from '../http/request.js'
import { shouldVerify, verifyReply } from '../tee/verifyReply.js'
import type { CompletionOutput } from '../types.js'
import { parseSettlementMode, type SettlementModeInput } from '../utils/settlementMode.js'
import { checkMaxTokens, checkStop, checkTemperature } from '../utils/validate.js'
import { toWireModel } from '../utils/wireModel.js'

export type CompletionParameters = {
  /** `<provider>/<model>`; the provider prefix is stripped on the wire. */
  model: TeeLlmId
  prompt: string
  /** @default 100 */
  maxTokens?: number | undefined
  /** Sequences that end the text; sent only when non-empty. */
  stop?: readonly string[] | undefined
  /** @default 0 */
  temperature?: number | undefined
  /** Lets the provider search the web. @default false */
  webSearch?: boolean | undefined
  /** `X-SETTLEMENT-TYPE` of this call. @default the client's `settlementMode` */
  settlementMode?: SettlementModeInput | undefined
  /**
   * Verify the TEE signature before returning, and attach the `proof`; a failure throws a
   * `TeeVerificationError`.
   * @default the client's `verify`
   */
  verify?: boolean | undefined
  /** Headers of this call, over the client's. */
  headers?: HeadersInit | undefined
  signal?: AbortSignal | undefined
}

export type CompletionReturnType = CompletionOutput

export type CompletionErrorType =
  | InvalidInputErrorType
  | HttpErrorType
  | TimeoutErrorType
  | InvalidResponseErrorType
  | TeeVerificationErrorType
  | BaseErrorType

/**
 * Completes a prompt with the gateway's `/v1/completions`. The text is read from
 * `choices[0].text` (current gateways) or `completion` (older ones); the TEE signature, hashes,
 * usage and settlement metadata come with it. With `verify` the signature is checked first.
 *
 * @example
 * ```ts
 * import { completion } from '@opengradient/llm'
 *
 * const { text, finishReason } = await completion(client, {
 *   model: 'devnet/tiny',
 *   prompt: 'The river',
 *   maxTokens: 20,
 *   stop: ['.'],
 * })
 * ```
 */
export async function completion(
  client: LlmClient,
  parameters: CompletionParameters,
): Promise<CompletionReturnType> {
  const { model, prompt, signal } = parameters
  const wireModel = toWireModel(model)
  if (typeof prompt !== 'string') {
    throw new InvalidInputError('"prompt" must be a string.')
  }
  const settlementMode =
    parameters.settlementMode === undefined
      ? client.settlementMode
      : parseSettlementMode(parameters.settlementMode)
  const body: Record<string, unknown> = {
    model: wireModel,
    prompt,
    max_tokens: checkMaxTokens(parameters.maxTokens ?? 100),
    temperature: checkTemperature(parameters.temperature ?? 0),
  }
  const stop = checkStop(parameters.stop)
  if (stop.length > 0) body.stop = stop
  if (parameters.webSearch) body.web_search = true
  const verify = shouldVerify(client, parameters.verify)

  const request = await sendGatewayRequest(client, {
    path: '/v1/completions',
    body,
    settlementMode,
    stream: false,
    operation: 'completion',
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
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new InvalidResponseError(
      'The LLM gateway answered the completion with a body that is not JSON.',
      { body: text.slice(0, 1000), url: request.url, cause: error },
    )
  }
  if (!isObject(json)) {
    throw new InvalidResponseError(
      'The LLM gateway answered the completion with a non-object body.',
      { body: json, url: request.url },
    )
  }
  const choice =
    Array.isArray(json.choices) && isObject(json.choices[0]) ? json.choices[0] : undefined
  const completionText =
    typeof json.completion === 'string'
      ? json.completion
      : typeof choice?.text === 'string'
        ? choice.text
        : undefined
  if (completionText === undefined) {
    throw new InvalidResponseError("The LLM gateway's completion answer has no choices.", {
      body: json,
      url: request.url,
      metaMessages: ["Expected 'choices[0].text' or 'completion'."],
    })
  }
  const output: CompletionOutput = {
    finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : undefined,
    text: completionText,
    toolCalls: [],
    usage: usageOf(json.usage),
    tee: teeMetadataOf(
      json,
      request.response.headers,
      request.tee?.endpoint ?? client.baseUrl,
      request.tee?.paymentAddress,
    ),
    settlement: settlementOf(request.response.headers, json, settlementMode),
    raw: json,
  }
  if (verify) {
    output.proof = await verifyReply(client, {
      request,
      body,
      endpoint: 'completion',
      output: { endpoint: 'completion', text: completionText },
      fields: json,
    })
    output.tee.verified = true
  }
  return output
}
