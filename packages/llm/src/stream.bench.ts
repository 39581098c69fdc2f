// Streaming against its floor: the client's time to first token and total time of a streamed
// reply from the devnet gateway, its own cost per request on a recorded reply (no network, no
// server), and its parsing throughput on a recorded 10 MB stream, each next to a bare `fetch`
// with a minimal SSE loop doing the same work.
import { startDevnet } from '@opengradient/devnet'
import { afterAll, bench, describe } from 'vitest'
import { chat } from './actions/chat.js'
import { createLlmClient } from './client/createLlmClient.js'

const devnet = await startDevnet({ temporary: true, port: 0 })
afterAll(() => devnet.stop())

const url = `${devnet.rpcUrl}/v1/chat/completions`
const messages = [{ role: 'user', content: 'Tell me about the forest.' }]
const client = createLlmClient({ baseUrl: devnet.rpcUrl })
const script = JSON.stringify({
  replies: [{ content: Array.from({ length: 200 }, (_, index) => `word${index}`).join(' ') }],
})

/** The bare loop: fetch, split events on blank lines, parse each; optionally stop at the first token. */
async function bareStream(
  body: Record<string, unknown>,
  options: {
    headers?: Record<string, string>
    firstTokenOnly?: boolean
    fetch?: typeof fetch
  } = {},
): Promise<number> {
  const controller = new AbortController()
  const response = await (options.fetch ?? fetch)(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify(body),
    signal: controller.signal,
  })
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let tokens = 0
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return tokens
    buffer += decoder.decode(value, { stream: true })
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const event = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      if (!event.startsWith('data: ')) continue
      const data = event.slice(6)
      if (data === '[DONE]') {
        await reader.cancel()
        return tokens
      }
      const content = JSON.parse(data).choices?.[0]?.delta?.content
      if (content) {
        tokens++
        if (options.firstTokenOnly) {
          controller.abort()
          return tokens
        }
      }
    }
  }
}

/** The client: the same request through `chat`, optionally leaving at the first token. */
async function clientStream(
  parameters: { headers?: Record<string, string>; firstTokenOnly?: boolean; model?: string } = {},
  streamClient = client,
): Promise<number> {
  const stream = await chat(streamClient, {
    model: parameters.model ?? 'devnet/tiny',
    messages,
    maxTokens: 64,
    stream: true,
    headers: parameters.headers,
  })
  let tokens = 0
  for await (const chunk of stream) {
    if (!chunk.delta.content) continue
    tokens++
    if (parameters.firstTokenOnly) break
  }
  return tokens
}

const tinyBody = { model: 'tiny', messages, max_tokens: 64, temperature: 0, stream: true }
const scriptHeaders = { 'x-devnet-llm-script': script }
const options = { time: 2000, warmupTime: 300 }

// The gateway warms up (JIT, ONNX session) before anything is measured, so the first bench of a
// pair is not charged for it.
for (let round = 0; round < 100; round++) {
  await clientStream()
  await bareStream(tinyBody)
  await clientStream({ model: 'devnet/script', headers: scriptHeaders })
  await bareStream({ ...tinyBody, model: 'script' }, { headers: scriptHeaders })
}

describe('time to first token (devnet/tiny)', () => {
  bench('client', () => clientStream({ firstTokenOnly: true }).then(() => {}), options)
  bench(
    'bare fetch + SSE loop',
    () => bareStream(tinyBody, { firstTokenOnly: true }).then(() => {}),
    options,
  )
})

describe('streamed reply, total (devnet/tiny)', () => {
  bench('client', () => clientStream().then(() => {}), options)
  bench('bare fetch + SSE loop', () => bareStream(tinyBody).then(() => {}), options)
})

describe('streamed reply, total (devnet/script, 200 chunks)', () => {
  bench(
    'client',
    () => clientStream({ model: 'devnet/script', headers: scriptHeaders }).then(() => {}),
    options,
  )
  bench(
    'bare fetch + SSE loop',
    () => bareStream({ ...tinyBody, model: 'script' }, { headers: scriptHeaders }).then(() => {}),
    options,
  )
})

// One real tiny-model reply, replayed from memory: what the client itself costs per request.
const recordedReply = new TextEncoder().encode(
  await (
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(tinyBody),
    })
  ).text(),
)
const replayReply: typeof fetch = async () =>
  new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(recordedReply)
        controller.close()
      },
    }),
    { headers: { 'content-type': 'text/event-stream' } },
  )
const replayReplyClient = createLlmClient({ baseUrl: devnet.rpcUrl, fetch: replayReply })

describe('one recorded reply, no network (the client alone)', () => {
  bench('client', () => clientStream({}, replayReplyClient).then(() => {}), options)
  bench('bare SSE loop', () => bareStream(tinyBody, { fetch: replayReply }).then(() => {}), options)
})

// A recorded stream: one real reply of the gateway, its content events repeated to 10 MB.
const recorded = await (
  await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...scriptHeaders },
    body: JSON.stringify({ ...tinyBody, model: 'script' }),
  })
).text()
const events = recorded.split('\n\n').filter(Boolean)
const contentEvents = events.slice(0, -2).map((event) => `${event}\n\n`)
const tail = events.slice(-2).map((event) => `${event}\n\n`)
const tenMegabytes = 10 * 1024 * 1024
const parts: string[] = []
for (let size = 0, index = 0; size < tenMegabytes; index++) {
  const event = contentEvents[index % contentEvents.length]!
  parts.push(event)
  size += event.length
}
const streamBytes = new TextEncoder().encode(parts.join('') + tail.join(''))
const pieceSize = 64 * 1024
/** A `fetch` that answers with the recorded stream in 64 KiB pieces. */
const replay: typeof fetch = async () =>
  new Response(
    new ReadableStream({
      start(controller) {
        for (let offset = 0; offset < streamBytes.length; offset += pieceSize) {
          controller.enqueue(streamBytes.subarray(offset, offset + pieceSize))
        }
        controller.close()
      },
    }),
    { headers: { 'content-type': 'text/event-stream' } },
  )
const replayClient = createLlmClient({ baseUrl: devnet.rpcUrl, fetch: replay })

describe(`parsing a recorded ${(streamBytes.length / 1024 / 1024).toFixed(1)} MB stream`, () => {
  const parseOptions = { time: 3000, warmupTime: 500 }
  bench('client', () => clientStream({}, replayClient).then(() => {}), parseOptions)
  bench('bare SSE loop', () => bareStream(tinyBody, { fetch: replay }).then(() => {}), parseOptions)
})
