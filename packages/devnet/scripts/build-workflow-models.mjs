// Regenerates the workflow models in `models/`. Run: node scripts/build-workflow-models.mjs [--check]
// With --check it writes nothing and fails when a committed model differs from its rebuild.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { workflowModelBuilders } from './workflow-models.mjs'

const modelsDirectory = new URL('../models/', import.meta.url)
const check = process.argv.includes('--check')

await mkdir(modelsDirectory, { recursive: true })
let stale = 0
for (const [fileName, build] of Object.entries(workflowModelBuilders)) {
  const bytes = build()
  const target = new URL(fileName, modelsDirectory)
  if (check) {
    const committed = await readFile(target).catch(() => undefined)
    if (!committed || !Buffer.from(bytes).equals(committed)) {
      stale++
      console.error(`models/${fileName} is out of date; run node scripts/build-workflow-models.mjs`)
    }
    continue
  }
  await writeFile(target, bytes)
  console.log(`models/${fileName} (${bytes.length} bytes)`)
}
if (stale > 0) process.exit(1)
