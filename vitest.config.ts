import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('.', import.meta.url))
const packagesDir = `${root}packages`
const packageNames = readdirSync(packagesDir).filter((name) =>
  existsSync(`${packagesDir}/${name}/src`),
)

// Tests import sibling packages by their published names; these aliases point the names at
// sources so no build is needed before `pnpm test`. Subpath entries map to `src/exports/<entry>.ts`.
// Packages whose tests talk to a devnet get the shared per-worker devnets of test/globalSetup.ts.
const devnetProjects = new Set(['alpha', 'cli', 'hub', 'llm'])

const alias = packageNames.flatMap((name) => [
  {
    find: new RegExp(`^@opengradient/${name}$`),
    replacement: `${packagesDir}/${name}/src/exports/index.ts`,
  },
  {
    find: new RegExp(`^@opengradient/${name}/(.+)$`),
    replacement: `${packagesDir}/${name}/src/exports/$1.ts`,
  },
])

export default defineConfig({
  resolve: { alias },
  test: {
    // Two cores: one worker per core; each worker gets its own devnet (see test/setup).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: packageNames.map((name) => ({
      extends: true,
      test: {
        name,
        root: `${packagesDir}/${name}`,
        include: ['src/**/*.test.ts'],
        benchmark: { include: ['src/**/*.bench.ts'] },
        ...(devnetProjects.has(name) ? { globalSetup: [`${root}test/globalSetup.ts`] } : {}),
      },
    })),
  },
})
