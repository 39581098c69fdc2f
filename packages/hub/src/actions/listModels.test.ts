import { describe, expect, test } from 'vitest'
import {
  createSignedInClient,
  createTestHubClient,
  startServer,
  uniqueName,
} from '../../test/utils.js'
import { createHubClient } from '../client/createHubClient.js'
import { listModels } from './listModels.js'

describe('listModels', () => {
  test('default', async () => {
    const { client } = await createSignedInClient()
    const name = uniqueName()
    await client.createModel({ name, description: 'listed' })
    // The listing is public: a signed-out client sees it too.
    const models = await listModels(createTestHubClient(), { limit: 1000 })
    expect(models.find((model) => model.name === name)).toMatchObject({ description: 'listed' })
  })

  test('args: page and limit', async () => {
    const { client } = await createSignedInClient()
    for (let index = 0; index < 3; index++) {
      await client.createModel({ name: uniqueName('page'), description: '' })
    }
    const all = await client.listModels({ limit: 1000 })
    const second = await client.listModels({ page: 2, limit: 2 })
    expect(second).toEqual(all.slice(2, 4))
  })

  test('behavior: a { models } answer', async () => {
    const baseUrl = await startServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ models: [{ name: request.url }] }))
    })
    expect(await createHubClient({ baseUrl }).listModels({ page: 3 })).toEqual([
      { name: '/models/?page=3' },
    ])
  })
})
