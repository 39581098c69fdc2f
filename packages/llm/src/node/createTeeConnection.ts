import { createTeeConnectionWith, type TeeConnectionParameters } from '../tee/teeConnection.js'
import type { TeeConnection } from '../tee/types.js'
import { createPinnedFetch } from './createPinnedFetch.js'

export type CreateTeeConnectionParameters = TeeConnectionParameters & {
  /**
   * Milliseconds to connect to a TEE and verify its certificate.
   * @default 10_000
   */
  connectTimeout?: number | undefined
  /**
   * Keeps connections to the TEE open between requests.
   * @default true
   */
  keepAlive?: boolean | undefined
}

export type CreateTeeConnectionReturnType = TeeConnection

/**
 * Connects to the TEEs of the registry, for `createLlmClient({ tee })`. Node only.
 *
 * - **Selection:** a uniformly random active LLM proxy TEE (or the one `teeId` names).
 * - **Pinning:** each TEE is reached through {@link createPinnedFetch}, trusting only the
 *   certificate the registry holds for it.
 * - **Refresh:** every `refreshInterval` the registry is read again; when the current TEE left
 *   it the connection moves to another random one, and a failed read keeps the current TEE. The
 *   loop starts with the first request, never keeps the process alive, and `close()` stops it.
 * - **Reconnect:** the client calls `reconnect` when a request could not reach the TEE
 *   (nothing sent), and retries once on the new choice.
 *
 * @example
 * ```ts
 * import { ogTestnet } from '@opengradient/core'
 * import { createLlmClient } from '@opengradient/llm'
 * import { createTeeConnection } from '@opengradient/llm/node'
 * import { createPublicClient, http } from 'viem'
 *
 * const tee = createTeeConnection({
 *   publicClient: createPublicClient({ chain: ogTestnet, transport: http() }),
 * })
 * const client = createLlmClient({ tee, account })
 * const reply = await client.chat({ model: 'openai/gpt-4.1', messages })
 * console.log(reply.tee.teeId, (await tee.current()).endpoint)
 * tee.close()
 * ```
 */
export function createTeeConnection(
  parameters: CreateTeeConnectionParameters,
): CreateTeeConnectionReturnType {
  const { connectTimeout, keepAlive } = parameters
  return createTeeConnectionWith(parameters, {
    pinned: true,
    create: (tee) =>
      createPinnedFetch({ certificate: tee.tlsCertificate, connectTimeout, keepAlive }),
  })
}
