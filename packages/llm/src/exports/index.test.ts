import { expect, test } from 'vitest'
import * as llm from './index.js'

test('exports', () => {
  expect(Object.keys(llm).sort()).toMatchInlineSnapshot(`
    [
      "JsonFloat",
      "SettlementMode",
      "canonicalTeeRequest",
      "chat",
      "compareCodePoints",
      "completion",
      "createLlmClient",
      "createOpenAICompatibleFetch",
      "createSseParser",
      "defaultSettlementMode",
      "parseJsonExact",
      "parseSettlementMode",
      "placeholderAuthorization",
      "providerOf",
      "pythonJsonDumps",
      "teeOutputText",
      "toWireModel",
    ]
  `)
})
