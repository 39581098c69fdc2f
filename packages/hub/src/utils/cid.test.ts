import { computeUnixfsCid } from '@opengradient/core'
import { describe, expect, test } from 'vitest'
import { computeModelCid } from './cid.js'

describe('computeModelCid', () => {
  test('default', async () => {
    expect(await computeModelCid(new TextEncoder().encode('hello world\n'))).toBe(
      'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
    )
  })

  // Core's dependency-free implementation must give the same ids: around the chunk size and
  // around the 174-link node size, where the DAG shape changes.
  test('behavior: agrees with computeUnixfsCid of @opengradient/core', async () => {
    const chunk = 262_144
    const sizes = [
      0,
      1,
      chunk - 1,
      chunk,
      chunk + 1,
      3 * chunk + 5,
      174 * chunk,
      174 * chunk + 1,
      175 * chunk + 17,
    ]
    for (const size of sizes) {
      const bytes = new Uint8Array(size)
      for (let index = 0; index < size; index++) bytes[index] = (index * 31 + (index >> 9)) % 256
      expect(await computeUnixfsCid(bytes), `size ${size}`).toBe(await computeModelCid(bytes))
    }
  })
})
