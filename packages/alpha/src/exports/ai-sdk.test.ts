import { expect, test } from 'vitest'
import * as exports from './ai-sdk.js'

test('exports', () => {
  expect(Object.keys(exports).sort()).toMatchInlineSnapshot(`
    [
      "createReadWorkflowTool",
      "createRunModelTool",
      "formatWorkflowOutput",
    ]
  `)
})
