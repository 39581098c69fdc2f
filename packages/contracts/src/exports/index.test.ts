import { expect, test } from 'vitest'
import * as exports from './index.js'

test('exports', () => {
  expect(Object.keys(exports).sort()).toMatchInlineSnapshot(`
    [
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
      "legacyTeeRegistryAbi",
      "opgTokenAbi",
      "opgTokenBytecode",
      "opgTokenDeployedBytecode",
      "priceHistoryInferenceAbi",
      "priceHistoryInferenceBytecode",
      "priceHistoryInferenceDeployedBytecode",
      "priceHistoryPrecompileAbi",
      "taskSchedulerAbi",
      "taskSchedulerBytecode",
      "taskSchedulerDeployedBytecode",
      "teeRegistryAbi",
    ]
  `)
})
