import { createServer } from 'node:net'
import { describe, expect, test } from 'vitest'
import { json, startTestServer } from '../../test/servers.js'
import { createLlmClient } from '../client/createLlmClient.js'
import {
  isPreSendFailure,
  placeholderAuthorization,
  retryAfterMs,
  sendGatewayRequest,
} from './request.js'

const request = {
  path: '/v1/completions',
  body: { model: 'tiny', prompt: 'Hi' },
  settlementMode: 'batch' as const,
  stream: false,
  operation: 'completion',
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('sendGatewayRequest', () => {
  test('default: headers and body', async () => {
    const server = await startTestServer((_, response) => json(response, 200, { ok: true }))
    const client = createLlmClient({ baseUrl: `${server.url}/`, headers: { 'x-extra': 'a' } })
    const { response, release } = await sendGatewayRequest(client, {
      ...request,
      headers: { 'x-call': 'b' },
    })
    release()
    expect(await response.json()).toEqual({ ok: true })
    const [seen] = server.requests
    expect(seen?.path).toBe('/v1/completions')
    expect(seen?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: placeholderAuthorization,
      'x-settlement-type': 'batch',
      'x-extra': 'a',
      'x-call': 'b',
    })
    expect(JSON.parse(seen?.body ?? '')).toEqual(request.body)
  })

  test('behavior: retries a refused connection, then fails with the cause', async () => {
    let calls = 0
    const client = createLlmClient({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      retryCount: 2,
      retryDelay: 1,
      fetch: (input, init) => {
        calls++
        return fetch(input, init)
      },
    })
    const error = await sendGatewayRequest(client, request).catch((error) => error)
    expect(calls).toBe(3)
    expect(error.name).toBe('HttpError')
    expect(error.shortMessage).toBe('The LLM gateway could not be reached for completion.')
    expect(isPreSendFailure(error.cause)).toBe(true)
  })

  test('behavior: 429 and 503 are retried after retry-after; 500 is not', async () => {
    let answers = [429, 503, 200]
    const server = await startTestServer((_, response) => {
      const status = answers.shift() ?? 500
      json(response, status, { error: `status ${status}` }, { 'retry-after': '0' })
    })
    const client = createLlmClient({ baseUrl: server.url, retryDelay: 10_000 })
    const { response, release } = await sendGatewayRequest(client, request)
    release()
    expect(response.status).toBe(200)
    expect(server.requests).toHaveLength(3)

    answers = [500]
    const error = await sendGatewayRequest(client, request).catch((error) => error)
    expect(server.requests).toHaveLength(4)
    expect(error.name).toBe('HttpError')
    expect(error.status).toBe(500)
    expect(error.detail).toBe('status 500')
  })

  test('behavior: calls onResponse with every response', async () => {
    const server = await startTestServer((_, response) =>
      json(response, 200, {}, { 'x-settlement-tx-hash': '0xabc' }),
    )
    const seen: string[] = []
    const client = createLlmClient({
      baseUrl: server.url,
      onResponse: (response, info) => {
        seen.push(`${info.method} ${info.url} ${response.headers.get('x-settlement-tx-hash')}`)
      },
    })
    ;(await sendGatewayRequest(client, request)).release()
    expect(seen).toEqual([`POST ${server.url}/v1/completions 0xabc`])
  })

  test('error: 402 is a PaymentError with the decoded requirements', async () => {
    const required = { x402Version: 2, accepts: [{ scheme: 'upto', amount: '100000000000000000' }] }
    const server = await startTestServer((_, response) =>
      json(
        response,
        402,
        {},
        {
          'payment-required': Buffer.from(JSON.stringify(required)).toString('base64'),
        },
      ),
    )
    const error = await sendGatewayRequest(createLlmClient({ baseUrl: server.url }), request).catch(
      (error) => error,
    )
    expect(error.name).toBe('PaymentError')
    expect(error.status).toBe(402)
    expect(error.paymentRequired).toEqual(required)
  })

  test('error: the timeout', async () => {
    const server = await startTestServer(async (_, response) => {
      await new Promise((resolve) => setTimeout(resolve, 300))
      json(response, 200, {})
    })
    const client = createLlmClient({ baseUrl: server.url, timeout: 50 })
    const error = await sendGatewayRequest(client, request).catch((error) => error)
    expect(error.name).toBe('TimeoutError')
    expect(error.timeoutMs).toBe(50)
    // Never retried (under load the abort may even come before the server saw the request).
    expect(server.requests.length).toBeLessThanOrEqual(1)
  })

  test('error: the caller aborts', async () => {
    const server = await startTestServer(async (_, response) => {
      await new Promise((resolve) => setTimeout(resolve, 300))
      json(response, 200, {})
    })
    const controller = new AbortController()
    const pending = sendGatewayRequest(createLlmClient({ baseUrl: server.url }), {
      ...request,
      signal: controller.signal,
    })
    controller.abort(new Error('changed my mind'))
    await expect(pending).rejects.toThrow('changed my mind')
  })
})

describe('retryAfterMs', () => {
  test('default', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000)
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '150' }))).toBe(150)
    expect(retryAfterMs(new Headers())).toBeUndefined()
    const date = new Date(Date.now() + 5000).toUTCString()
    expect(retryAfterMs(new Headers({ 'retry-after': date }))).toBeGreaterThan(3000)
  })
})
