// Reading gateway answers: usage, tool calls, content blocks, images, TEE and settlement metadata.
import {
  HttpError,
  type SettlementMetadata,
  type TeeMetadata,
  type TokenUsage,
  type ToolCall,
} from '@opengradient/core'
import type { LlmClient } from '../client/createLlmClient.js'
import { paymentOf } from '../payments/paymentDetails.js'
import type { SettlementMode } from '../utils/settlementMode.js'
import { decodeBase64Json } from './request.js'

type JsonObject = Record<string, unknown>

/**
 * True for a JSON object (not an array, not null).
 *
 * @example
 * ```ts
 * isObject({}) // true
 * isObject([]) // false
 * ```
 */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Token counts from an OpenAI `usage` object, or `undefined` when it is absent.
 *
 * @example
 * ```ts
 * usageOf({ prompt_tokens: 3, completion_tokens: 2 }) // { promptTokens: 3, completionTokens: 2, totalTokens: 5 }
 * ```
 */
export function usageOf(value: unknown): TokenUsage | undefined {
  if (!isObject(value)) return undefined
  const promptTokens = Number(value.prompt_tokens ?? 0)
  const completionTokens = Number(value.completion_tokens ?? 0)
  return {
    promptTokens,
    completionTokens,
    totalTokens: Number(value.total_tokens ?? promptTokens + completionTokens),
  }
}

/**
 * The text of message content: a string as is; content blocks as the texts of their `text`
 * blocks joined with one space and trimmed (the reference's display form); `null` otherwise.
 *
 * @example
 * ```ts
 * flattenContent([{ type: 'text', text: 'Hello' }, { type: 'text', text: 'world' }]) // 'Hello world'
 * ```
 */
export function flattenContent(content: unknown): string | null {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return null
  return content
    .filter((block) => isObject(block) && block.type === 'text' && typeof block.text === 'string')
    .map((block) => (block as { text: string }).text)
    .join(' ')
    .trim()
}

/**
 * Tool calls in the OpenAI nested shape with JSON-text arguments, from either that shape or the
 * flat `{id, name, arguments}` one.
 *
 * @example
 * ```ts
 * toolCallsOf([{ id: 'c', name: 'f', arguments: { a: 1 } }])
 * // [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }]
 * ```
 */
export function toolCallsOf(value: unknown): ToolCall[] {
  if (!Array.isArray(value)) return []
  return value.filter(isObject).map((call) => {
    const fn = isObject(call.function) ? call.function : call
    const args = fn.arguments
    return {
      id: typeof call.id === 'string' ? call.id : '',
      type: 'function',
      function: {
        name: typeof fn.name === 'string' ? fn.name : '',
        arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
      },
    }
  })
}

/** Unix seconds from an integer, a numeric string or an ISO-8601 text. */
function timestampOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value !== 'string' || !value) return undefined
  const numeric = Number(value)
  if (Number.isFinite(numeric)) return numeric
  const parsed = Date.parse(value)
  return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000)
}

function stringOf(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value) return value
  return undefined
}

/**
 * The TEE fields of an answer (body `tee_*`, the older gateways' unprefixed names, or the
 * `X-TEE-*` headers), with the endpoint the client talked to.
 *
 * @example
 * ```ts
 * teeMetadataOf(body, response.headers, client.baseUrl).signature
 * ```
 */
export function teeMetadataOf(
  body: JsonObject,
  headers: Headers | undefined,
  endpoint: string,
  /** The registry's payment address of the TEE that answered, when the body names none. */
  paymentAddress?: string | undefined,
): TeeMetadata {
  return {
    signature: stringOf(body.tee_signature, body.signature, headers?.get('x-tee-signature')),
    timestamp:
      timestampOf(body.tee_timestamp) ??
      timestampOf(body.timestamp) ??
      timestampOf(headers?.get('x-tee-timestamp')),
    requestHash: stringOf(
      body.tee_request_hash,
      body.request_hash,
      headers?.get('x-tee-request-hash'),
    ),
    outputHash: stringOf(body.tee_output_hash, body.output_hash, headers?.get('x-tee-output-hash')),
    teeId: stringOf(body.tee_id, headers?.get('x-tee-id')),
    endpoint,
    paymentAddress: stringOf(body.tee_payment_address, paymentAddress),
    verified: undefined,
  }
}

/**
 * Payment and data-settlement metadata, from the response headers and the body.
 *
 * @example
 * ```ts
 * settlementOf(response.headers, body, 'batch').transactionHash
 * ```
 */
export function settlementOf(
  headers: Headers,
  body: JsonObject,
  mode: SettlementMode,
): SettlementMetadata {
  return {
    mode,
    paymentResponse:
      decodeBase64Json(headers.get('payment-response')) ??
      decodeBase64Json(headers.get('x-payment-response')),
    paymentHash: stringOf(headers.get('x-processing-hash')),
    transactionHash: stringOf(
      headers.get('x-settlement-tx-hash'),
      body.data_settlement_transaction_hash,
    ),
    blobId: stringOf(headers.get('x-settlement-walrus-blob-id'), body.data_settlement_blob_id),
    payment: paymentOf(headers),
  }
}

const imageTimeoutMs = 60_000

/**
 * Images of a reply as `data:` URIs: `data:` URIs are kept, `http(s)` URLs are downloaded
 * (redirects followed, 60 s each) and converted.
 *
 * @example
 * ```ts
 * await resolveImages(client, ['https://example.com/a.png'], signal) // ['data:image/png;base64,…']
 * ```
 */
export async function resolveImages(
  client: LlmClient,
  images: unknown,
  signal: AbortSignal | undefined,
): Promise<string[] | undefined> {
  if (!Array.isArray(images) || images.length === 0) return undefined
  return Promise.all(
    images
      .filter((image): image is string => typeof image === 'string')
      .map(async (image) => {
        if (!/^https?:/i.test(image)) return image
        const timeout = AbortSignal.timeout(imageTimeoutMs)
        const response = await client
          .fetch(image, {
            redirect: 'follow',
            signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          })
          .catch((error: unknown) => {
            throw new HttpError('An image of the reply could not be downloaded.', {
              url: image,
              cause: error,
            })
          })
        if (!response.ok) {
          await response.body?.cancel().catch(() => {})
          throw new HttpError('An image of the reply could not be downloaded.', {
            url: image,
            status: response.status,
          })
        }
        const type = response.headers.get('content-type')?.split(';')[0]?.trim() || 'image/png'
        const bytes = new Uint8Array(await response.arrayBuffer())
        return `data:${type};base64,${bytesToBase64(bytes)}`
      }),
  )
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000))
  }
  return btoa(binary)
}
