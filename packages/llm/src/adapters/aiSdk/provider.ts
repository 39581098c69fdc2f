// The OpenGradient provider of the Vercel AI SDK: one LLM client shared by every model it makes.

import type { LanguageModelV3, ProviderV3 } from '@ai-sdk/provider'
import type { TeeLlmId } from '@opengradient/core'
import { InvalidInputError } from '@opengradient/core'
import {
  createLlmClient,
  type LlmClient,
  type LlmClientConfig,
} from '../../client/createLlmClient.js'
import { createOpenGradientLanguageModel } from './languageModel.js'

export type OpenGradientProviderConfig =
  | ({
      /** The client every call goes through (its `fetch` may pay with x402). */
      client: LlmClient
    } & { [key in keyof LlmClientConfig]?: undefined })
  | (LlmClientConfig & { client?: undefined })

/** The provider: call it (or `languageModel`) with a `<provider>/<model>` id. */
export type OpenGradientProvider = ProviderV3 & {
  (modelId: TeeLlmId): LanguageModelV3
  languageModel(modelId: TeeLlmId): LanguageModelV3
  chat(modelId: TeeLlmId): LanguageModelV3
  /** The client shared by every model of this provider. */
  readonly client: LlmClient
}

/**
 * Creates an OpenGradient provider for the Vercel AI SDK (`ai` 6, language-model specification
 * v3). Every model it makes sends its calls through one LLM client: the one given, or one made
 * from the rest of the config. The TEE signature and hashes and the settlement metadata of each
 * reply are in `providerMetadata.opengradient`; `providerOptions.opengradient.settlementMode`
 * sets a call's settlement.
 *
 * @example
 * ```ts
 * import { generateText } from 'ai'
 * import { createOpenGradient } from '@opengradient/llm/ai-sdk'
 *
 * const opengradient = createOpenGradient({ baseUrl: 'http://127.0.0.1:8545' })
 * const { text, providerMetadata } = await generateText({
 *   model: opengradient('devnet/tiny'),
 *   prompt: 'Tell me about the river.',
 * })
 * console.log(text, providerMetadata?.opengradient?.tee)
 * ```
 */
export function createOpenGradient(config: OpenGradientProviderConfig = {}): OpenGradientProvider {
  const { client: given, ...clientConfig } = config
  const client = given ?? createLlmClient(clientConfig as LlmClientConfig)
  const languageModel = (modelId: TeeLlmId) => createOpenGradientLanguageModel(client, modelId)
  const unsupported = (kind: string) => (modelId: string) => {
    throw new InvalidInputError(
      `The OpenGradient provider has no ${kind} models; "${modelId}" cannot be made.`,
    )
  }
  const provider = (modelId: TeeLlmId) => languageModel(modelId)
  return Object.assign(provider, {
    specificationVersion: 'v3' as const,
    client,
    languageModel,
    chat: languageModel,
    embeddingModel: unsupported('embedding'),
    imageModel: unsupported('image'),
  })
}
