import { describe, expect, test } from 'vitest'
import { parseSettlementMode, SettlementMode } from './settlementMode.js'

describe('parseSettlementMode', () => {
  test('default', () => {
    expect(parseSettlementMode(SettlementMode.BATCH)).toBe('batch')
  })

  test('args: every older name', () => {
    const names: Record<string, string> = {
      settle: 'private',
      'settle-batch': 'batch',
      'settle-metadata': 'individual',
      'batch-hashed': 'batch',
      'individual-full': 'individual',
      SETTLE: 'private',
      SETTLE_BATCH: 'batch',
      SETTLE_METADATA: 'individual',
      SETTLE_INDIVIDUAL: 'private',
      SETTLE_INDIVIDUAL_WITH_METADATA: 'individual',
      PRIVATE: 'private',
      BATCH_HASHED: 'batch',
      INDIVIDUAL_FULL: 'individual',
    }
    for (const [name, value] of Object.entries(names))
      expect(parseSettlementMode(name), name).toBe(value)
  })

  test('error: an unknown mode', () => {
    expect(() => parseSettlementMode('later')).toThrowErrorMatchingInlineSnapshot(`
      [InvalidInputError: "later" is not a settlement mode.

      Use "private", "batch" or "individual" (older names such as "settle-batch" are accepted).
      Version: @opengradient/core@0.1.0]
    `)
  })
})
