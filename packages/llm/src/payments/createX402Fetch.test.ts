import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodePaymentSignatureHeader, encodePaymentRequiredHeader } from '@x402/core/http'
import type { PaymentRequired } from '@x402/core/types'
import { privateKeyToAccount } from 'viem/accounts'
import { afterEach, describe, expect, test } from 'vitest'
import { createLlmClient } from '../client/createLlmClient.js'
import { toBaseUnits } from './amounts.js'
import { createX402Fetch } from './createX402Fetch.js'
import { uptoSessionKey } from './uptoSessions.js'

const account = privateKeyToAccount(
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
)
const opg = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const payTo = '0x9deEBB5D1b22e4a6e027977CeAd13893A7E4cC1a'

function offer(amount: string, network = 'eip155:10744'): PaymentRequired {
  return {
    x402Version: 2,
    resource: {
      url: 'http://127.0.0.1/v1/completions',
      description: 'Completion',
      mimeType: 'application/json',
    },
    accepts: [
      {
        scheme: 'upto',
        network: network as `${string}:${string}`,
        asset: opg,
        amount,
        payTo,
        maxTimeoutSeconds: 3600,
        extra: {
          name: 'OpenGradient',
          version: '1',
          assetTransferMethod: 'permit2',
          facilitatorAddress: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
        },
      },
    ],
  }
}

type Seen = { headers: IncomingMessage['headers']; body: string }
let server: Server | undefined

async function serve(
  handler: (request: IncomingMessage, response: ServerResponse, seen: Seen[]) => void,
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = []
  server = createServer(async (request, response) => {
    let body = ''
    for await (const chunk of request) body += chunk
    seen.push({ headers: request.headers, body })
    handler(request, response, seen)
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

afterEach(async () => {
  const running = server
  server = undefined
  if (!running) return
  running.closeAllConnections()
  await new Promise((resolve) => running.close(resolve))
})

const completionBody = JSON.stringify({
  choices: [{ text: 'hi', index: 0, finish_reason: 'stop' }],
  completion: 'hi',
})

describe('createX402Fetch', () => {
  test('behavior: answers a 402 with one signed upto payment and reuses the session', async () => {
    const { url, seen } = await serve((request, response) => {
      if (request.headers['x-upto-session'] === 'session-1') {
        response.writeHead(200, {
          'content-type': 'application/json',
          'x-upto-session': 'session-1',
        })
        response.end(completionBody)
      } else if (request.headers['payment-signature']) {
        response.writeHead(200, {
          'content-type': 'application/json',
          'x-upto-session': 'session-1',
        })
        response.end(completionBody)
      } else {
        response.writeHead(402, {
          'payment-required': encodePaymentRequiredHeader(offer('100000000000000000')),
        })
        response.end('{}')
      }
    })
    const client = createLlmClient({ baseUrl: url, account, payment: { network: 'eip155:10744' } })
    const first = await client.completion({ model: 'openai/gpt-4o', prompt: 'Say hi' })
    expect(first.settlement.payment).toMatchObject({
      scheme: 'upto',
      network: 'eip155:10744',
      amount: '100000000000000000',
      payer: account.address,
      session: 'session-1',
      reusedSession: false,
    })
    const second = await client.completion({ model: 'openai/gpt-4o', prompt: 'Say hi again' })
    expect(second.settlement.payment).toMatchObject({ session: 'session-1', reusedSession: true })

    expect(
      seen.map((request) => [
        !!request.headers['payment-signature'],
        request.headers['x-upto-session'] ?? null,
      ]),
    ).toEqual([
      [false, null],
      [true, null],
      [false, 'session-1'],
    ])
    const payload = decodePaymentSignatureHeader(seen[1]?.headers['payment-signature'] as string)
    expect(payload.accepted.amount).toBe('100000000000000000')
    const authorization = (payload.payload as { permit2Authorization: Record<string, unknown> })
      .permit2Authorization
    expect(authorization.from).toBe(account.address)
    expect(authorization.spender).toBe('0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002')
    // The paid request is the same request.
    expect(seen[1]?.body).toBe(seen[0]?.body)
  })

  test('behavior: a 402 on a reused session clears it and pays once more', async () => {
    let sessions = 0
    const { url, seen } = await serve((request, response) => {
      if (request.headers['payment-signature']) {
        sessions++
        response.writeHead(200, { 'x-upto-session': `session-${sessions}` })
        response.end(completionBody)
      } else {
        response.writeHead(402, { 'payment-required': encodePaymentRequiredHeader(offer('1000')) })
        response.end('{}')
      }
    })
    const payingFetch = createX402Fetch({ account, network: 'eip155:10744' })
    const init = { method: 'POST', body: '{}' }
    await payingFetch(`${url}/v1/completions`, init)
    const response = await payingFetch(`${url}/v1/completions`, init)
    expect(response.status).toBe(200)
    expect(payingFetch.sessions.get(uptoSessionKey('POST', `${url}/v1/completions`))?.id).toBe(
      'session-2',
    )
    // unpaid, paid, session (402), paid: the exhausted session costs one new signature.
    expect(
      seen.map(
        (request) =>
          request.headers['x-upto-session'] ??
          (request.headers['payment-signature'] ? 'paid' : 'unpaid'),
      ),
    ).toEqual(['unpaid', 'paid', 'session-1', 'paid'])
  })

  test('error: an offer above maxPayment is refused before signing', async () => {
    const { url, seen } = await serve((_request, response) => {
      response.writeHead(402, {
        'payment-required': encodePaymentRequiredHeader(offer('100000000000000001')),
      })
      response.end('{}')
    })
    const client = createLlmClient({
      baseUrl: url,
      account,
      payment: { network: 'eip155:10744', maxPayment: '0.1' },
    })
    const error = await client
      .completion({ model: 'openai/gpt-4o', prompt: 'hi' })
      .catch((error) => error)
    expect(error).toMatchObject({ name: 'PaymentError', reason: 'over-limit' })
    expect(error.shortMessage).toMatchInlineSnapshot(
      `"The payment asked for exceeds "maxPayment" (100000000000000000 base units); nothing was signed."`,
    )
    expect(seen).toHaveLength(1)
  })

  test('error: an offer on another network is not signed', async () => {
    const { url, seen } = await serve((_request, response) => {
      response.writeHead(402, {
        'payment-required': encodePaymentRequiredHeader(offer('1000', 'eip155:1')),
      })
      response.end('{}')
    })
    const payingFetch = createX402Fetch({ account, network: 'eip155:10744' })
    await expect(
      payingFetch(`${url}/v1/completions`, { method: 'POST', body: '{}' }),
    ).rejects.toMatchObject({
      name: 'PaymentError',
      reason: 'unsupported',
    })
    expect(seen).toHaveLength(1)
  })

  test('error: a connection dropped after the payment was sent is not retried', async () => {
    const { url, seen } = await serve((request, response) => {
      if (request.headers['payment-signature']) {
        request.socket.destroy()
        return
      }
      response.writeHead(402, { 'payment-required': encodePaymentRequiredHeader(offer('1000')) })
      response.end('{}')
    })
    const client = createLlmClient({
      baseUrl: url,
      account,
      payment: { network: 'eip155:10744' },
      retryCount: 3,
      retryDelay: 1,
    })
    const error = await client
      .completion({ model: 'openai/gpt-4o', prompt: 'hi' })
      .catch((error) => error)
    expect(error).toMatchObject({ name: 'PaymentError', reason: 'sent' })
    expect(seen.filter((request) => request.headers['payment-signature'])).toHaveLength(1)
    expect(seen).toHaveLength(2)
  })

  test("behavior: a second 402 on the paid request is the caller's error, not another payment", async () => {
    const { url, seen } = await serve((_request, response) => {
      response.writeHead(402, {
        'payment-required': encodePaymentRequiredHeader({
          ...offer('1000'),
          error: 'insufficient_allowance',
        }),
      })
      response.end('{}')
    })
    const client = createLlmClient({ baseUrl: url, account, payment: { network: 'eip155:10744' } })
    const error = await client
      .completion({ model: 'openai/gpt-4o', prompt: 'hi' })
      .catch((error) => error)
    expect(error).toMatchObject({ name: 'PaymentError', status: 402 })
    expect(error.paymentRequired).toMatchObject({ error: 'insufficient_allowance' })
    expect(seen).toHaveLength(2)
  })

  test('args: amounts', () => {
    expect(toBaseUnits('0.1')).toBe(100000000000000000n)
    expect(toBaseUnits(5n)).toBe(5n)
    expect(() => toBaseUnits('1e-7')).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: An amount must be a bigint of base units or a decimal string like "0.1", got "1e-7".]`,
    )
    expect(() => toBaseUnits(0.1 as never)).toThrow(TypeError)
    expect(uptoSessionKey('post', 'https://10.0.0.1:8443/v1/chat/completions/?x=1')).toBe(
      'POST https://10.0.0.1:8443/v1/chat/completions',
    )
    expect(uptoSessionKey('GET', 'https://10.0.0.1')).toBe('GET https://10.0.0.1/')
  })
})
