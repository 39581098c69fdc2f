// Settlement modes of the `X-SETTLEMENT-TYPE` header, with every name they had (llm.md §B1).
import { InvalidInputError } from '@opengradient/core'

/**
 * How much of an inference the gateway records on chain, as sent in `X-SETTLEMENT-TYPE`:
 * `private` (payment only), `batch` (input and output hashes aggregated in a Merkle tree) or
 * `individual` (input, output and verification recorded per request).
 *
 * @example
 * ```ts
 * await chat(client, { model, messages, settlementMode: SettlementMode.PRIVATE })
 * ```
 */
export const SettlementMode = {
  PRIVATE: 'private',
  BATCH: 'batch',
  INDIVIDUAL: 'individual',
} as const
/** One of {@link SettlementMode}'s values. */
export type SettlementMode = (typeof SettlementMode)[keyof typeof SettlementMode]

/** Older header values and the reference's enum names, each with the current value. */
const settlementModeAliases: Readonly<Record<string, SettlementMode>> = {
  private: 'private',
  batch: 'batch',
  individual: 'individual',
  // 0.6.0–0.9.x header values and CLI spellings
  settle: 'private',
  'settle-batch': 'batch',
  'settle-metadata': 'individual',
  // 1.x CLI spellings
  'batch-hashed': 'batch',
  'individual-full': 'individual',
  // enum names of 0.7.x–1.x
  settle_batch: 'batch',
  settle_metadata: 'individual',
  settle_individual: 'private',
  settle_individual_with_metadata: 'individual',
  batch_hashed: 'batch',
  individual_full: 'individual',
}

/** A settlement mode in any spelling {@link parseSettlementMode} accepts. */
export type SettlementModeInput =
  | SettlementMode
  | 'settle'
  | 'settle-batch'
  | 'settle-metadata'
  | 'batch-hashed'
  | 'individual-full'
  | (string & {})

/** The header's value when nothing says otherwise. */
export const defaultSettlementMode: SettlementMode = 'batch'

/**
 * Turns any spelling a reference version used (header values `settle`, `settle-batch`,
 * `settle-metadata`, CLI names `batch-hashed`, `individual-full`, enum names such as
 * `SETTLE_BATCH` or `INDIVIDUAL_FULL`) into the current header value.
 *
 * @example
 * ```ts
 * parseSettlementMode('settle-batch') // 'batch'
 * parseSettlementMode('INDIVIDUAL_FULL') // 'individual'
 * ```
 */
export function parseSettlementMode(mode: SettlementModeInput): SettlementMode {
  const value = settlementModeAliases[mode.trim().toLowerCase()]
  if (value) return value
  throw new InvalidInputError(`"${mode}" is not a settlement mode.`, {
    metaMessages: [
      'Use "private", "batch" or "individual" (older names such as "settle-batch" are accepted).',
    ],
  })
}
