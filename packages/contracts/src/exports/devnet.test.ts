import { expect, test } from 'vitest'
import * as exports from './devnet.js'

test('exports', () => {
  expect(Object.keys(exports).sort()).toMatchInlineSnapshot(`
    [
      "consumedResultsSlot",
      "decodeStandInResult",
      "encodeStandInResult",
      "inferencePrecompileStandInAbi",
      "inferencePrecompileStandInBytecode",
      "inferencePrecompileStandInDeployedBytecode",
      "multicall3Abi",
      "multicall3Bytecode",
      "multicall3DeployedBytecode",
      "priceHistoryPrecompileStandInAbi",
      "priceHistoryPrecompileStandInBytecode",
      "priceHistoryPrecompileStandInDeployedBytecode",
      "resultAccountAddress",
      "standInResultWindow",
    ]
  `)
})
