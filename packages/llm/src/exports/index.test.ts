import { expect, test } from 'vitest'
import * as llm from './index.js'

test('exports', () => {
  expect(Object.keys(llm).sort()).toMatchInlineSnapshot(`
    [
      "JsonFloat",
      "SettlementMode",
      "TeeType",
      "canonicalTeeRequest",
      "chat",
      "checkPaymentSetup",
      "compareCodePoints",
      "completion",
      "createLlmClient",
      "createOpenAICompatibleFetch",
      "createSseParser",
      "createUnpinnedTeeConnection",
      "createUptoSessionStore",
      "createX402Fetch",
      "defaultSettlementMode",
      "ensureOpgApproval",
      "getActiveTees",
      "minimumOpgApproval",
      "parseJsonExact",
      "parseSettlementMode",
      "paymentOf",
      "placeholderAuthorization",
      "providerOf",
      "pythonJsonDumps",
      "teeIdOf",
      "teeOutputText",
      "toBaseUnits",
      "toWireModel",
      "uptoSessionKey",
      "verifyTeeResponse",
    ]
  `)
})
