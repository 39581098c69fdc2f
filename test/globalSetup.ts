import type { TestProject } from 'vitest/node'
import { type Devnet, startDevnet } from '../packages/devnet/src/exports/index.js'

/** What each test worker learns of its devnet. */
export type TestDevnetInfo = {
  rpcUrl: string
  anvilUrl: string
  dataDir: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    devnets: TestDevnetInfo[]
  }
}

const workers = 2

// Every project that needs devnets runs this setup in the same main process; the devnets are
// shared through a global so the whole run starts one per worker, not one per project.
type Shared = { devnets: Promise<Devnet[]>; users: number }
const shared = globalThis as typeof globalThis & { __ogTestDevnets?: Shared | undefined }

/**
 * Starts one devnet per test worker (temporary data directories, free ports) before any test
 * runs, and stops them after the last. Workers find theirs by `VITEST_POOL_ID`.
 */
export async function setup(project: TestProject): Promise<void> {
  shared.__ogTestDevnets ??= {
    devnets: Promise.all(
      Array.from({ length: workers }, () => startDevnet({ temporary: true, port: 0 })),
    ),
    users: 0,
  }
  shared.__ogTestDevnets.users++
  const devnets = await shared.__ogTestDevnets.devnets
  project.provide(
    'devnets',
    devnets.map((devnet) => ({
      rpcUrl: devnet.rpcUrl,
      anvilUrl: devnet.anvilUrl,
      dataDir: devnet.dataDir,
    })),
  )
}

export async function teardown(): Promise<void> {
  const state = shared.__ogTestDevnets
  if (!state || --state.users > 0) return
  shared.__ogTestDevnets = undefined
  await Promise.all((await state.devnets).map((devnet) => devnet.stop()))
}
