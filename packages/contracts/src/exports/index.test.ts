import { expect, test } from 'vitest'
import * as exports from './index.js'

test('exports', () => {
  expect(Object.keys(exports).sort()).toMatchInlineSnapshot(`
    [
      "createNonceManager",
      "findEventLog",
      "findPrecompileLogBefore",
      "getInferenceHubContract",
      "getInferencePrecompileContract",
      "getLegacyTeeRegistryContract",
      "getOpgTokenContract",
      "getPriceHistoryPrecompileContract",
      "getTaskSchedulerContract",
      "getTeeRegistryContract",
      "getWorkflowContract",
      "inferenceHubAbi",
      "inferenceHubBytecode",
      "inferenceHubDeployedBytecode",
      "inferencePrecompileAbi",
      "isNonceError",
      "isRevert",
      "legacyTeeRegistryAbi",
      "opgTokenAbi",
      "opgTokenBytecode",
      "opgTokenDeployedBytecode",
      "priceHistoryInferenceAbi",
      "priceHistoryInferenceBytecode",
      "priceHistoryInferenceDeployedBytecode",
      "priceHistoryPrecompileAbi",
      "revertReasonOf",
      "taskSchedulerAbi",
      "taskSchedulerBytecode",
      "taskSchedulerDeployedBytecode",
      "teeRegistryAbi",
      "toCallError",
      "writeTransaction",
    ]
  `)
})
