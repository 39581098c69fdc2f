import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeModelOutput, InferenceMode } from '@opengradient/core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { encodeInferenceId, fetchInferenceResult } from './fetchInferenceResult.js'

// A node REST API that answers by id: big integers as JSON numbers, as a Go node may send them.
const modelOutput =
  '{"numbers":[{"name":"Y","values":[{"value":3774157376028597354888916016,"decimals":31}],"shape":[1]}],"strings":[],"jsons":[]}'
const answers: Record<string, string | null> = {
  vanilla: `{"InferenceResult":{"VanillaResult":{"model_output":${modelOutput}}}}`,
  tee: `{"InferenceResult":{"TeeNodeResult":{"Response":{"VanillaResponse":{"model_output":${modelOutput}}}}}}`,
  zkml: `{"InferenceResult":{"ZkmlResult":{"model_output":${modelOutput}}}}`,
  broken: '{"InferenceResult":{"VanillaResult":{}}}',
  pending: null,
}
let server: Server
let apiUrl: string
const requested: string[] = []

beforeAll(async () => {
  server = createServer((request, response) => {
    requested.push(request.url ?? '')
    const id = decodeURIComponent((request.url ?? '').split('/').at(-1) ?? '')
    if (id === 'down') return response.writeHead(503).end()
    const answer = answers[id]
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(
      JSON.stringify({
        inference_results: answer ? [Buffer.from(answer).toString('base64')] : [],
      }),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('fetchInferenceResult', () => {
  test('default: big integers survive exactly', async () => {
    const output = await fetchInferenceResult({
      inferenceId: 'vanilla',
      mode: InferenceMode.VANILLA,
      apiUrl,
    })
    const decoded = decodeModelOutput(output as never)
    expect(decoded.numbers.Y?.raw[0]).toEqual({
      value: 3774157376028597354888916016n,
      decimals: 31n,
    })
  })

  test('args: mode selects the path of the answer', async () => {
    for (const [inferenceId, mode] of [
      ['tee', InferenceMode.TEE],
      ['zkml', InferenceMode.ZKML],
    ] as const) {
      const output = await fetchInferenceResult({ inferenceId, mode, apiUrl })
      expect(decodeModelOutput(output as never).numbers.Y?.shape).toEqual([1])
    }
  })

  test('behavior: the id is encoded like the reference, slashes and parentheses included', async () => {
    expect(encodeInferenceId("a/b(c)!'*")).toBe('a%2Fb%28c%29%21%27%2A')
  })

  test('error: a missing key names it', async () => {
    await expect(fetchInferenceResult({ inferenceId: 'broken', mode: 0, apiUrl })).rejects.toThrow(
      'Missing model_output in VanillaResult.',
    )
  })

  test('error: no result before the timeout is a TimeoutError', async () => {
    const error = await fetchInferenceResult({
      inferenceId: 'pending',
      mode: 0,
      apiUrl,
      timeoutMs: 150,
      pollIntervalMs: 50,
    }).catch((e) => e)
    expect(error.name).toBe('TimeoutError')
  })

  test('error: a non-200 answer keeps the status', async () => {
    const error = await fetchInferenceResult({ inferenceId: 'down', mode: 0, apiUrl }).catch(
      (e) => e,
    )
    expect(error.name).toBe('HttpError')
    expect(error.status).toBe(503)
  })
})
