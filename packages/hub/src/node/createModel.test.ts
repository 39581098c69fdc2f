import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createSignedInClient, uniqueName } from '../../test/utils.js'
import { createModel } from './createModel.js'

describe('createModel (node)', () => {
  test('default', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'og-hub-'))
    try {
      const path = join(dir, 'classifier.onnx')
      await writeFile(path, 'model bytes')
      const { client } = await createSignedInClient()
      const name = uniqueName()
      const result = await createModel(client, { name, description: '', file: path })
      expect(result).toMatchObject({ name, initialVersion: '0.01', upload: { size: 11 } })
      expect((await client.listFiles({ model: name, version: '0.01' }))[0]?.name).toBe(
        'classifier.onnx',
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('error: a missing file creates nothing', async () => {
    const { client } = await createSignedInClient()
    const name = uniqueName()
    await expect(
      createModel(client, { name, description: '', file: '/nonexistent.onnx' }),
    ).rejects.toThrow('Model file not found')
    await expect(client.getModel({ name })).rejects.toThrow('not found')
  })
})
