// Regenerates the devnet's tiny language model: models/tiny-lm.onnx and its vocabulary
// models/tiny-lm.vocab.txt. Run: node scripts/build-tiny-lm.mjs [--check]
// With --check it writes nothing and fails when a committed file differs from its rebuild.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { buildTinyLm, vocabularyText } from './tiny-lm.mjs'

const modelsDirectory = new URL('../models/', import.meta.url)
const check = process.argv.includes('--check')

const { onnx, vocabulary, topics } = buildTinyLm()
const files = {
  'tiny-lm.onnx': onnx,
  'tiny-lm.vocab.txt': new TextEncoder().encode(vocabularyText(vocabulary, topics)),
}
await mkdir(modelsDirectory, { recursive: true })
let stale = 0
for (const [fileName, bytes] of Object.entries(files)) {
  const target = new URL(fileName, modelsDirectory)
  if (check) {
    const committed = await readFile(target).catch(() => undefined)
    if (!committed || !Buffer.from(bytes).equals(committed)) {
      stale++
      console.error(`models/${fileName} is out of date; run node scripts/build-tiny-lm.mjs`)
    }
    continue
  }
  await writeFile(target, bytes)
  console.log(`models/${fileName} (${bytes.length} bytes)`)
}
if (stale > 0) process.exit(1)
