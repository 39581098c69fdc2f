// @opengradient/llm/ai-sdk: OpenGradient as a Vercel AI SDK provider (language-model specification v3).

export {
  createOpenGradientLanguageModel,
  type OpenGradientProviderOptions,
} from '../adapters/aiSdk/languageModel.js'
export {
  createOpenGradient,
  type OpenGradientProvider,
  type OpenGradientProviderConfig,
} from '../adapters/aiSdk/provider.js'
