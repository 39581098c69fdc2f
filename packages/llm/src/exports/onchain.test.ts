import { expect, test } from 'vitest'
import * as onchain from './onchain.js'

test('exports', () => {
  expect(Object.keys(onchain).sort()).toMatchInlineSnapshot(`
    [
      "createNonceManager",
      "createOnChainLlmClient",
      "llmGasHeadroom",
      "onChainToolChoice",
      "runLlmChatOnChain",
      "runLlmCompletionOnChain",
      "temperatureToPercent",
      "toAbiMessages",
      "toAbiTools",
    ]
  `)
})
