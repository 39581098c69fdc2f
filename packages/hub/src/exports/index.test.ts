import { expect, test } from 'vitest'
import * as hub from './index.js'

test('exports', () => {
  expect(Object.keys(hub).sort()).toMatchInlineSnapshot(`
    [
      "computeModelCid",
      "createHubAuth",
      "createHubClient",
      "createModel",
      "createVersion",
      "downloadFile",
      "downloadModel",
      "getModel",
      "listFiles",
      "listModels",
      "login",
      "uploadFile",
    ]
  `)
})

test('behavior: the main entry runs in browsers (no node: imports, no Buffer or process)', async () => {
  const { readFile } = await import('node:fs/promises')
  const { dirname, resolve } = await import('node:path')
  const { fileURLToPath } = await import('node:url')
  const seen = new Set<string>()
  const pending = [fileURLToPath(new URL('./index.ts', import.meta.url))]
  const problems: string[] = []
  while (pending.length > 0) {
    const file = pending.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    // Comments (examples in docs) are not code.
    const source = (await readFile(file, 'utf8')).replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '')
    for (const [, specifier] of source.matchAll(/from '([^']+)'/g)) {
      if (specifier!.startsWith('node:')) problems.push(`${file}: ${specifier}`)
      if (specifier!.startsWith('.')) {
        pending.push(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')))
      }
    }
    if (/\bBuffer\.|\bprocess\./.test(source)) {
      problems.push(`${file}: uses Buffer or process`)
    }
  }
  expect(seen.size).toBeGreaterThan(10)
  expect(problems).toEqual([])
})
