// The LLM gateway as a devnet service: its routes on the front, and the `0xF4` stand-in's LLM runner.
import type { DevnetService, DevnetServiceContext } from '../service.js'
import { createLlmGateway, type LlmGateway } from './gateway.js'
import { createTeeSigner, type TeeSigner } from './tee.js'
import { loadTinyLanguageModel, type TinyLanguageModel } from './tinyModel.js'
import type { LlmGatewayConfig } from './types.js'

/** The gateway service, with the gateway itself for inspection. */
export type LlmGatewayService = DevnetService & {
  gateway: LlmGateway
  /** The key that signs `tee_signature` (its public part verifies the answers). */
  signer(): Promise<TeeSigner>
}

/**
 * Creates the devnet's LLM gateway service: `/v1/chat/completions`, `/v1/completions` and
 * `/v1/models` on the devnet's origin, and the answers to on-chain `runLLMCompletion` /
 * `runLLMChat` calls, all from the backends the configuration names. The tiny model is added to
 * the model store and the signing key generated while the devnet starts.
 *
 * @example
 * ```ts
 * const devnet = await startDevnet({
 *   llm: { models: { 'openai/gpt-4o-mini': { backend: 'upstream', url: 'https://api.openai.com', apiKey } } },
 * })
 * ```
 */
export function createLlmGatewayService(config: LlmGatewayConfig = {}): LlmGatewayService {
  let context: DevnetServiceContext | undefined
  let tinyModel: Promise<TinyLanguageModel> | undefined
  let signer: Promise<TeeSigner> | undefined
  const getSigner = () => {
    signer ??= config.teeSigner ? Promise.resolve(config.teeSigner) : createTeeSigner()
    return signer
  }
  const gateway = createLlmGateway({
    config,
    tinyModel: () => {
      if (!context) return Promise.reject(new Error('The LLM gateway service was not prepared.'))
      tinyModel ??= loadTinyLanguageModel({ store: context.models, engine: context.engine })
      return tinyModel
    },
    signer: getSigner,
  })
  return {
    name: 'llm-gateway',
    gateway,
    signer: getSigner,
    routes: [gateway.route],
    llm: gateway.runner,
    async prepare(serviceContext) {
      context = serviceContext
      tinyModel = loadTinyLanguageModel({
        store: serviceContext.models,
        engine: serviceContext.engine,
      })
      await Promise.all([tinyModel, getSigner()])
    },
  }
}
