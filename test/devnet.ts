import { defineDevnet } from '@opengradient/core'
import { inject } from 'vitest'
import type { TestDevnetInfo } from './globalSetup.js'

/** The devnet of the current test worker, started by the global setup. */
export function testDevnet(): TestDevnetInfo & { chain: ReturnType<typeof defineDevnet> } {
  const devnets = inject('devnets')
  const poolId = Number(process.env.VITEST_POOL_ID ?? '1')
  const devnet = devnets[(poolId - 1) % devnets.length]
  if (!devnet) throw new Error('No devnet was started for this test run.')
  return { ...devnet, chain: defineDevnet({ rpcUrl: devnet.rpcUrl }) }
}
