// Checks of call parameters, done before anything is sent.
import { InvalidInputError } from '@opengradient/core'
import type { ResponseFormat } from '../types.js'
import { providerOf } from './wireModel.js'

/**
 * A positive integer number of tokens.
 *
 * @example
 * ```ts
 * checkMaxTokens(100) // 100
 * ```
 */
export function checkMaxTokens(maxTokens: number): number {
  if (!Number.isSafeInteger(maxTokens) || maxTokens < 1) {
    throw new InvalidInputError(`"maxTokens" must be a positive integer, got ${maxTokens}.`)
  }
  return maxTokens
}

/**
 * A finite, non-negative temperature.
 *
 * @example
 * ```ts
 * checkTemperature(0.7) // 0.7
 * ```
 */
export function checkTemperature(temperature: number): number {
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature < 0) {
    throw new InvalidInputError(
      `"temperature" must be a finite number of at least 0, got ${String(temperature)}.`,
    )
  }
  return temperature
}

/**
 * Stop sequences as a new array of strings.
 *
 * @example
 * ```ts
 * checkStop(undefined) // []
 * ```
 */
export function checkStop(stop: readonly string[] | undefined): string[] {
  if (stop === undefined) return []
  if (!Array.isArray(stop) || stop.some((item) => typeof item !== 'string')) {
    throw new InvalidInputError('"stop" must be an array of strings.')
  }
  return [...stop]
}

/**
 * The wire form of a response format (`json_schema` snake-cased), checked as the reference
 * checks it: a known type, a schema for `json_schema`, and no `json_object` for Anthropic models.
 *
 * @example
 * ```ts
 * wireResponseFormat({ type: 'json_schema', jsonSchema: { name: 'p', schema } }, 'openai/gpt-5')
 * // { type: 'json_schema', json_schema: { name: 'p', schema } }
 * ```
 */
export function wireResponseFormat(format: ResponseFormat, model: string): Record<string, unknown> {
  const type = (format as { type?: unknown }).type
  if (type !== 'text' && type !== 'json_object' && type !== 'json_schema') {
    throw new InvalidInputError(
      `"responseFormat.type" must be "text", "json_object" or "json_schema", got "${String(type)}".`,
    )
  }
  if (type === 'json_object' && providerOf(model) === 'anthropic') {
    throw new InvalidInputError(
      "Anthropic models do not support response_format type 'json_object'. Use ResponseFormat(type='json_schema', json_schema={...}) with an explicit schema instead.",
    )
  }
  if (type !== 'json_schema') return { type }
  const jsonSchema = (format as { jsonSchema?: unknown }).jsonSchema as
    | { name?: unknown; schema?: unknown; strict?: unknown; description?: unknown }
    | undefined
  if (!jsonSchema || typeof jsonSchema !== 'object' || typeof jsonSchema.schema !== 'object') {
    throw new InvalidInputError(
      '"responseFormat.jsonSchema" with a "schema" object is required for the type "json_schema".',
    )
  }
  return {
    type,
    json_schema: {
      name: jsonSchema.name,
      schema: jsonSchema.schema,
      ...(jsonSchema.strict !== undefined ? { strict: jsonSchema.strict } : {}),
      ...(jsonSchema.description !== undefined ? { description: jsonSchema.description } : {}),
    },
  }
}
