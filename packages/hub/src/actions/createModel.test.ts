import { describe, expect, test } from 'vitest'
import { createSignedInClient, createTestHubClient, uniqueName } from '../../test/utils.js'
import { computeModelCid } from '../utils/cid.js'
import { createModel } from './createModel.js'

describe('createModel', () => {
  test('default', async () => {
    const { client, user } = await createSignedInClient()
    const name = uniqueName()
    expect(await createModel(client, { name, description: 'A test model' })).toEqual({
      name,
      initialVersion: '0.01',
    })
    expect(await client.getModel({ name })).toMatchObject({
      name,
      description: 'A test model',
      author: user.email,
      versions: [{ versionString: '0.01', notes: 'Initial version', isMajor: false }],
    })
  })

  test('args: file, uploaded into the version the hub returned', async () => {
    const { client } = await createSignedInClient()
    const name = uniqueName()
    const data = new TextEncoder().encode('onnx bytes')
    const result = await client.createModel({
      name,
      description: 'with a file',
      notes: 'first weights',
      file: data,
      fileName: 'model.onnx',
    })
    expect(result).toEqual({
      name,
      initialVersion: '0.01',
      upload: { modelCid: await computeModelCid(data), size: data.length },
    })
    const files = await client.listFiles({ model: name, version: '0.01' })
    expect(files.map((file) => file.name)).toEqual(['model.onnx'])
  })

  test('behavior: names are URL-encoded in every path', async () => {
    const { client } = await createSignedInClient()
    const name = `${uniqueName()} / #1?x=%2e`
    const { initialVersion } = await client.createModel({ name, description: '' })
    const { modelCid } = await client.uploadFile({
      model: name,
      version: initialVersion!,
      data: new Uint8Array([1, 2, 3]),
    })
    expect(await client.listFiles({ model: name, version: initialVersion! })).toMatchObject([
      { ipfsCid: modelCid },
    ])
    expect((await client.getModel({ name })).name).toBe(name)
  })

  test('error: the name is taken', async () => {
    const { client } = await createSignedInClient()
    const name = uniqueName()
    await client.createModel({ name, description: '' })
    const error = await client.createModel({ name, description: '' }).catch((error) => error)
    expect(error.name).toBe('HttpError')
    expect(error.status).toBe(409)
    expect(error.shortMessage).toBe(`Model creation failed: Model '${name}' already exists.`)
  })

  test('error: not signed in', async () => {
    const client = createTestHubClient()
    await expect(client.createModel({ name: uniqueName(), description: '' })).rejects.toThrow(
      'Not signed in to the Model Hub.',
    )
  })
})
