import { createTeeConnectionWith, type TeeConnectionParameters } from './teeConnection.js'
import type { TeeConnection } from './types.js'

export type CreateUnpinnedTeeConnectionParameters = TeeConnectionParameters & {
  /**
   * The transport to every TEE. Its TLS verification is the platform's: a TEE's self-signed
   * certificate is refused unless the platform trusts it.
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch | undefined
}

export type CreateUnpinnedTeeConnectionReturnType = TeeConnection

/**
 * A TEE connection for platforms without `node:https` (browsers, workers): TEEs are discovered
 * and refreshed from the registry like with `createTeeConnection` of `@opengradient/llm/node`,
 * but TLS is **not** pinned to the registry's certificate, since `fetch` offers no way to.
 * The LLM client refuses such a connection unless created with `allowUnpinnedTls: true`.
 * Verify answers with the registry's public key (`ResolvedTee.publicKey`) instead.
 *
 * @example
 * ```ts
 * import { createLlmClient, createUnpinnedTeeConnection } from '@opengradient/llm'
 * import { ogTestnet } from '@opengradient/core'
 * import { createPublicClient, http } from 'viem'
 *
 * const tee = createUnpinnedTeeConnection({
 *   publicClient: createPublicClient({ chain: ogTestnet, transport: http() }),
 * })
 * const client = createLlmClient({ tee, allowUnpinnedTls: true })
 * ```
 */
export function createUnpinnedTeeConnection(
  parameters: CreateUnpinnedTeeConnectionParameters,
): CreateUnpinnedTeeConnectionReturnType {
  const transport: typeof globalThis.fetch =
    parameters.fetch ?? ((input, init) => globalThis.fetch(input, init))
  return createTeeConnectionWith(parameters, { pinned: false, create: () => transport })
}
