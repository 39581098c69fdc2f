// A `fetch` for code written against the `openai` package, routed through an OpenGradient LLM client.
import { InvalidInputError, type InvalidInputErrorType } from '@opengradient/core'
import {
  createLlmClient,
  type LlmClient,
  type LlmClientConfig,
} from '../../client/createLlmClient.js'
import { placeholderAuthorization } from '../../http/request.js'
import { parseSettlementMode, type SettlementModeInput } from '../../utils/settlementMode.js'
import { toWireModel } from '../../utils/wireModel.js'

export type CreateOpenAICompatibleFetchParameters =
  | ({
      /** The client whose `fetch` (payment-wrappable), headers and settlement mode are used. */
      client: LlmClient
      /** `X-SETTLEMENT-TYPE` of every request that does not set it. @default the client's */
      settlementMode?: SettlementModeInput | undefined
    } & { [key in Exclude<keyof LlmClientConfig, 'settlementMode'>]?: undefined })
  | (LlmClientConfig & { client?: undefined })

export type CreateOpenAICompatibleFetchReturnType = typeof globalThis.fetch

export type CreateOpenAICompatibleFetchErrorType = InvalidInputErrorType

/**
 * Makes a `fetch` to pass as the `fetch` option of the `openai` package (with `baseURL` set to
 * the gateway's `/v1`), so code written for OpenAI runs against OpenGradient's TEE gateway
 * unchanged. Each request goes through the client's `fetch` (so an x402 payment wrapper pays
 * for it) with the client's headers, its `X-SETTLEMENT-TYPE` and the placeholder bearer token
 * when none is given; a JSON body's `model` (`<provider>/<model>`) is rewritten to the id the
 * gateway expects, as the client does. The response is the gateway's, untouched.
 *
 * @example
 * ```ts
 * import OpenAI from 'openai'
 * import { createLlmClient, createOpenAICompatibleFetch } from '@opengradient/llm'
 *
 * const client = createLlmClient({ baseUrl: 'http://127.0.0.1:8545' })
 * const openai = new OpenAI({
 *   apiKey: 'unused',
 *   baseURL: `${client.baseUrl}/v1`,
 *   fetch: createOpenAICompatibleFetch({ client }),
 * })
 * const completion = await openai.chat.completions.create({
 *   model: 'devnet/tiny',
 *   messages: [{ role: 'user', content: 'Tell me about the river.' }],
 * })
 * ```
 */
export function createOpenAICompatibleFetch(
  parameters: CreateOpenAICompatibleFetchParameters = {},
): CreateOpenAICompatibleFetchReturnType {
  const client =
    parameters.client ?? createLlmClient(parameters as LlmClientConfig & { client?: undefined })
  const settlementMode =
    parameters.client && parameters.settlementMode !== undefined
      ? parseSettlementMode(parameters.settlementMode)
      : client.settlementMode

  return async function openAICompatibleFetch(input, init) {
    const request = new Request(input, init)
    const headers = new Headers(client.headers)
    for (const [name, value] of request.headers) headers.set(name, value)
    if (!headers.has('x-settlement-type')) headers.set('x-settlement-type', settlementMode)
    if (!headers.has('authorization')) headers.set('authorization', placeholderAuthorization)

    let body: string | undefined
    let sentBody: unknown
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      body = await request.text()
      sentBody = body
      if ((headers.get('content-type') ?? '').includes('json') && body !== '') {
        const json = parseJson(body)
        if (isRecord(json) && typeof json.model === 'string') {
          json.model = toWireModel(json.model)
          body = JSON.stringify(json)
        }
        sentBody = json
      }
    }
    const response = await client.fetch(request.url, {
      ...init,
      method: request.method,
      headers,
      body: body ?? null,
      signal: request.signal,
    })
    await client.onResponse?.(response, {
      url: request.url,
      method: request.method,
      body: sentBody,
    })
    return response
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InvalidInputError('The request body is not valid JSON.', { cause: error as Error })
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
