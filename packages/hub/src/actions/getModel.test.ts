import { describe, expect, test } from 'vitest'
import { createSignedInClient, createTestHubClient, uniqueName } from '../../test/utils.js'
import { getModel } from './getModel.js'

describe('getModel', () => {
  test('default', async () => {
    const { client } = await createSignedInClient()
    const name = uniqueName()
    await client.createModel({ name, description: 'described' })
    expect(await getModel(createTestHubClient(), { name })).toMatchObject({
      name,
      description: 'described',
      versions: [{ versionString: '0.01' }],
    })
  })

  test('error: unknown model', async () => {
    const error = await getModel(createTestHubClient(), { name: uniqueName() }).catch((e) => e)
    expect(error.name).toBe('NotFoundError')
    expect(error.status).toBe(404)
  })
})
