import { expect, test } from 'vitest'
import * as exports from './langchain.js'

test('exports', () => {
  expect(Object.keys(exports).sort()).toMatchInlineSnapshot(`
    [
      "createReadWorkflowTool",
      "createRunModelTool",
      "formatWorkflowOutput",
    ]
  `)
})
