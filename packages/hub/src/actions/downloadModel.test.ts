import { describe, expect, test } from 'vitest'
import { createSignedInClient, startServer, uniqueName } from '../../test/utils.js'
import { createHubClient } from '../client/createHubClient.js'
import { computeModelCid } from '../utils/cid.js'
import { downloadModel } from './downloadModel.js'

describe('downloadModel', () => {
  test('default', async () => {
    const { client } = await createSignedInClient()
    const { name, initialVersion } = await client.createModel({
      name: uniqueName(),
      description: '',
    })
    const data = new Uint8Array(600_000).map((_, index) => (index * 7) % 256)
    const { modelCid } = await client.uploadFile({ model: name, version: initialVersion!, data })
    const bytes = await downloadModel(client, { cid: modelCid })
    expect(Buffer.from(bytes).equals(Buffer.from(data))).toBe(true)
  })

  test('error: a gateway that serves other bytes is refused', async () => {
    const cid = await computeModelCid(new TextEncoder().encode('expected'))
    const gateway = await startServer((_request, response) => {
      response.end('tampered')
    })
    const error = await createHubClient()
      .downloadModel({ cid, gateway: `${gateway}/ipfs/{cid}` })
      .catch((error) => error)
    expect(error.name).toBe('IntegrityError')
    expect(error.shortMessage).toBe(
      `The downloaded bytes are not the content "${cid}"; they were refused.`,
    )
  })
})
