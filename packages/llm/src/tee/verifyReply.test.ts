import { generateKeyPairSync } from 'node:crypto'
import { TeeVerificationError } from '@opengradient/core'
import { createPublicClient, createWalletClient, http } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { beforeAll, describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { devnetLlmClient, json, startTestServer } from '../../test/servers.js'
import { chat } from '../actions/chat.js'
import { completion } from '../actions/completion.js'
import { createLlmClient } from '../client/createLlmClient.js'
import { createPinnedFetch } from '../node/createPinnedFetch.js'
import { createTeeConnection } from '../node/createTeeConnection.js'
import { ensureOpgApproval } from '../payments/ensureOpgApproval.js'
import type { ChatStreamChunk } from '../types.js'
import { getActiveTees } from './getActiveTees.js'
import { teeIdOf } from './verifyTeeResponse.js'

const messages = [{ role: 'user', content: 'Tell me about the weather.' }]

/** The devnet TEE behind the front's gateway: its registry entry and its `/signing-key` PEM. */
let devnetTee: { teeId: `0x${string}`; publicKey: `0x${string}`; pem: string }

beforeAll(async () => {
  const { chain, rpcUrl } = testDevnet()
  const { tee } = await completion(devnetLlmClient(), {
    model: 'devnet/tiny',
    prompt: 'The river',
    maxTokens: 1,
  })
  const tees = await getActiveTees({
    client: createPublicClient({ chain, transport: http(rpcUrl) }),
  })
  const entry = tees.find((candidate) => candidate.teeId === tee.teeId)
  if (!entry) throw new Error(`The devnet TEE ${tee.teeId} is not in its registry.`)
  const pinnedFetch = createPinnedFetch({ certificate: entry.tlsCertificate, keepAlive: false })
  const pem = await (await pinnedFetch(`${entry.endpoint}/signing-key`)).text()
  pinnedFetch.close()
  devnetTee = { teeId: entry.teeId, publicKey: entry.publicKey, pem }
})

const strictClient = (config: Parameters<typeof devnetLlmClient>[0] = {}) =>
  devnetLlmClient({ verify: true, teePublicKey: devnetTee.pem, ...config })

async function collect(stream: AsyncIterable<ChatStreamChunk>): Promise<ChatStreamChunk[]> {
  const chunks: ChatStreamChunk[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

async function rejection(promise: Promise<unknown>): Promise<TeeVerificationError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(error).toBeInstanceOf(TeeVerificationError)
  return error as TeeVerificationError
}

/**
 * A proxy in front of the devnet gateway that can rewrite the request body on its way in and
 * the answer (plain or event stream) on its way out.
 */
async function startRewritingProxy(rewrite: {
  request?: ((body: string) => string) | undefined
  response?: ((body: string) => string) | undefined
}) {
  return startTestServer(async (request, response) => {
    const headers = new Headers()
    for (const name of ['content-type', 'accept', 'authorization', 'x-settlement-type']) {
      const value = request.headers[name]
      if (typeof value === 'string') headers.set(name, value)
    }
    const upstream = await fetch(`${testDevnet().rpcUrl}${request.path}`, {
      method: request.method,
      headers,
      body: request.method === 'POST' ? (rewrite.request?.(request.body) ?? request.body) : null,
    })
    const text = await upstream.text()
    response.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    })
    response.end(rewrite.response?.(text) ?? text)
  })
}

describe('verify (strict mode)', () => {
  test('default', async () => {
    const reply = await chat(strictClient(), { model: 'devnet/tiny', messages })
    expect(reply.message.content).toBe('The weather is mild today.')
    expect(reply.tee.verified).toBe(true)
    expect(reply.proof).toMatchObject({
      teeId: devnetTee.teeId,
      requestHash: `0x${reply.tee.requestHash}`,
      outputHash: `0x${reply.tee.outputHash}`,
      messageHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      timestamp: reply.tee.timestamp,
      signature: reply.tee.signature,
      signingKeyPem: devnetTee.pem,
    })
    expect(teeIdOf(devnetTee.pem)).toBe(devnetTee.teeId)
  })

  test('behavior: without verify, replies are as before', async () => {
    const reply = await chat(devnetLlmClient(), { model: 'devnet/tiny', messages })
    expect(reply.proof).toBeUndefined()
    expect(reply.tee.verified).toBeUndefined()
    // A call's `verify: false` overrides the client's.
    const unchecked = await chat(strictClient(), { model: 'devnet/tiny', messages, verify: false })
    expect(unchecked.proof).toBeUndefined()
  })

  test('args: verify per call, with the registry key as hex', async () => {
    const client = devnetLlmClient({ teePublicKey: devnetTee.publicKey })
    const { text, proof, tee } = await completion(client, {
      model: 'devnet/tiny',
      prompt: 'The river',
      maxTokens: 6,
      temperature: 0.5,
      stop: ['.'],
      verify: true,
    })
    expect(text.length).toBeGreaterThan(0)
    expect(tee.verified).toBe(true)
    expect(proof?.teeId).toBe(devnetTee.teeId)
  })

  test('behavior: a streamed chat is verified after its last event', async () => {
    const stream = await chat(strictClient(), { model: 'devnet/tiny', messages, stream: true })
    const chunks = await collect(stream)
    const final = chunks.at(-1)!
    expect(chunks.map((chunk) => chunk.delta.content ?? '').join('')).toBe(
      'The weather is mild today.',
    )
    expect(chunks.slice(0, -1).every((chunk) => chunk.proof === undefined)).toBe(true)
    expect(final.isFinal).toBe(true)
    expect(final.tee?.verified).toBe(true)
    expect(final.proof).toMatchObject({
      teeId: devnetTee.teeId,
      outputHash: `0x${final.tee?.outputHash}`,
    })
  })

  test('behavior: tool calls, plain and streamed as deltas', async () => {
    const weatherTool = {
      type: 'function' as const,
      function: {
        name: 'get_weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    }
    const headers = {
      'x-devnet-llm-script': JSON.stringify({
        replies: [
          { toolCalls: [{ id: 'call_7', name: 'get_weather', arguments: { city: 'Paris' } }] },
        ],
      }),
    }
    const parameters = {
      model: 'devnet/script',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
      headers,
    } as const
    const reply = await chat(strictClient(), parameters)
    expect(reply.finishReason).toBe('tool_calls')
    expect(reply.proof?.teeId).toBe(devnetTee.teeId)

    const stream = await chat(strictClient(), {
      ...parameters,
      stream: true,
      toolStreamingFallback: false,
    })
    const final = (await collect(stream)).at(-1)!
    expect(final.toolCalls).toHaveLength(1)
    expect(final.proof?.outputHash).toBe(reply.proof?.outputHash)
    // With the fallback (one plain request), the single chunk carries the reply's proof.
    const fallback = (
      await collect(await chat(strictClient(), { ...parameters, stream: true }))
    )[0]!
    expect(fallback.proof?.teeId).toBe(devnetTee.teeId)
  })

  test('behavior: a TEE from the registry brings its own key', async () => {
    const { chain, rpcUrl } = testDevnet()
    const tee = createTeeConnection({
      publicClient: createPublicClient({ chain, transport: http(rpcUrl) }),
      teeId: devnetTee.teeId,
    })
    // The devnet TEE takes x402 payments in the devnet's OPG, through Permit2.
    const account = mnemonicToAccount(
      'test test test test test test test test test test test junk',
      {
        addressIndex: 8,
      },
    )
    await ensureOpgApproval(createWalletClient({ account, chain, transport: http(rpcUrl) }), {
      minAllowance: '1',
      pollingInterval: 50,
    })
    try {
      const client = createLlmClient({
        tee,
        account,
        payment: { network: `eip155:${chain.id}` },
        verify: true,
      })
      const reply = await client.chat({ model: 'devnet/tiny', messages, maxTokens: 4 })
      expect(reply.proof?.teeId).toBe(devnetTee.teeId)
      expect(reply.proof?.signingKeyPem).toBe(devnetTee.pem)
    } finally {
      tee.close()
    }
  })

  test('error: an answer changed in flight', async () => {
    const proxy = await startRewritingProxy({
      response: (body) => body.replace(' mild', ' wild'),
    })
    const client = strictClient({ baseUrl: proxy.url })
    const error = await rejection(chat(client, { model: 'devnet/tiny', messages }))
    expect(error.reason).toBe('output-hash-mismatch')

    // A stream delivers its (unverified) text, then throws instead of ending.
    const stream = await chat(client, { model: 'devnet/tiny', messages, stream: true })
    const seen: ChatStreamChunk[] = []
    const streamError = await rejection(
      (async () => {
        for await (const chunk of stream) seen.push(chunk)
      })(),
    )
    expect(streamError.reason).toBe('output-hash-mismatch')
    expect(seen.map((chunk) => chunk.delta.content ?? '').join('')).toBe(
      'The weather is wild today.',
    )
    expect(seen.some((chunk) => chunk.isFinal)).toBe(false)

    // Without verify the changed answer goes through unnoticed.
    const unchecked = await chat(client, { model: 'devnet/tiny', messages, verify: false })
    expect(unchecked.message.content).toBe('The weather is wild today.')
  })

  test('error: a request changed in flight', async () => {
    const proxy = await startRewritingProxy({
      request: (body) => body.replace('"max_tokens":100', '"max_tokens":99'),
    })
    const client = strictClient({ baseUrl: proxy.url })
    const error = await rejection(chat(client, { model: 'devnet/tiny', messages }))
    expect(error.reason).toBe('request-hash-mismatch')
    const completionError = await rejection(
      completion(client, { model: 'devnet/tiny', prompt: 'The river' }),
    )
    expect(completionError.reason).toBe('request-hash-mismatch')
  })

  test('error: another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString()
    const error = await rejection(
      chat(strictClient({ teePublicKey: other }), { model: 'devnet/tiny', messages }),
    )
    expect(error.reason).toBe('tee-id-mismatch')
  })

  test('error: no key, before anything is sent', async () => {
    const server = await startTestServer((_, response) => json(response, 500, {}))
    const client = createLlmClient({ baseUrl: server.url, verify: true })
    const error = await rejection(chat(client, { model: 'devnet/tiny', messages }))
    expect(error.reason).toBe('missing-public-key')
    expect(error.shortMessage).toMatchInlineSnapshot(
      `"The answer cannot be verified: no public key of the TEE is known. Pass "teePublicKey" to createLlmClient (the PEM from the gateway's /signing-key, or the hex DER from the TEE registry), or connect through the TEE registry with "tee"."`,
    )
    await rejection(completion(client, { model: 'devnet/tiny', prompt: 'x' }))
    expect(server.requests).toHaveLength(0)
  })
})
