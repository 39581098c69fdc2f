// A `fetch` for JSON-RPC over plain HTTP(S) requests in Node. Node's built-in `fetch` costs
// about a millisecond of CPU per request (streams, `Request`/`Response` objects, its own
// scheduling), several times the request itself on a local node; a transaction costs at least
// two requests, and a burst of them is bound by that CPU. Everywhere else (browsers, workers)
// this is the platform's `fetch`.

import type { Agent as HttpAgent, IncomingMessage, RequestOptions } from 'node:http'

type NodeHttp = {
  request: (
    options: RequestOptions,
    callback: (response: IncomingMessage) => void,
  ) => import('node:http').ClientRequest
  Agent: new (options: { keepAlive: boolean; maxSockets?: number }) => HttpAgent
}

type Engines = { http: NodeHttp; https: NodeHttp; agents: Map<string, HttpAgent> }

let engines: Promise<Engines | undefined> | undefined

function isNode(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process
  return typeof process?.versions?.node === 'string'
}

/** Loads `node:http` and `node:https` once; `undefined` outside Node. */
function loadEngines(): Promise<Engines | undefined> {
  engines ??= isNode()
    ? Promise.all([
        // Left alone by bundlers: a browser build never reaches this line.
        import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:http'),
        import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:https'),
      ]).then(
        ([http, https]) => ({
          http: http as unknown as NodeHttp,
          https: https as unknown as NodeHttp,
          agents: new Map(),
        }),
        () => undefined,
      )
    : Promise.resolve(undefined)
  return engines
}

/**
 * The answer of a request made by {@link keepAliveFetch}: the parts of a `Response` that a
 * JSON-RPC client reads (status, headers, the body as text or JSON), without the stream a
 * full `Response` builds around a body that is already in memory.
 */
const utf8 = new TextDecoder()

class BufferedResponse {
  readonly body = null
  readonly bodyUsed = false
  readonly redirected = false
  readonly type = 'basic'
  readonly headers: Headers
  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    headers: Record<string, string | string[] | undefined>,
    private readonly bytes: Uint8Array,
  ) {
    const entries: [string, string][] = []
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) entries.push([name, Array.isArray(value) ? value.join(', ') : value])
    }
    this.headers = lazyHeaders(entries)
  }
  get ok(): boolean {
    return this.status >= 200 && this.status < 300
  }
  async text(): Promise<string> {
    return utf8.decode(this.bytes)
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text())
  }
  /** The body's bytes as they came (a copy), whatever their encoding. */
  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.bytes).buffer as ArrayBuffer
  }
}

/** `Headers` built on first use beyond `get`, which is all a JSON-RPC client usually asks. */
function lazyHeaders(entries: [string, string][]): Headers {
  let full: Headers | undefined
  const real = () => {
    full ??= new Headers(entries)
    return full
  }
  return new Proxy({} as Headers, {
    get(_, property) {
      if (property === 'get') {
        return (name: string) => {
          const wanted = name.toLowerCase()
          for (const [key, value] of entries) if (key === wanted) return value
          return null
        }
      }
      const value = Reflect.get(real(), property)
      return typeof value === 'function' ? value.bind(real()) : value
    },
  })
}

const redirects = new Set([301, 302, 303, 307, 308])

// Parsed URLs by text: a client asks the same one or two URLs thousands of times.
const parsedUrls = new Map<string, URL>()

function parseUrl(input: string | URL): URL {
  if (typeof input !== 'string') return input
  let url = parsedUrls.get(input)
  if (!url) {
    url = new URL(input)
    if (parsedUrls.size >= 32) parsedUrls.delete(parsedUrls.keys().next().value as string)
    parsedUrls.set(input, url)
  }
  return url
}

/**
 * A `fetch` for JSON-RPC: in Node, string-bodied requests to `http:` and `https:` URLs go
 * through `node:http`/`node:https` on a keep-alive connection pool, and the answer comes back
 * whole, as text. Any other request, a redirect answer, and every request outside Node use the
 * platform's `fetch`. The abort signal is honoured.
 *
 * @example
 * ```ts
 * import { http } from 'viem'
 *
 * const transport = http('http://127.0.0.1:8545', { fetchFn: keepAliveFetch })
 * ```
 */
export const keepAliveFetch: typeof fetch = async (input, init) => {
  const plain =
    typeof input === 'string' || input instanceof URL
      ? (init?.body === undefined || typeof init.body === 'string') &&
        (init?.method ?? 'GET').toUpperCase() !== 'GET'
      : false
  const nodeEngines = plain ? await loadEngines() : undefined
  if (!nodeEngines) return await globalThis.fetch(input, init)
  const url = parseUrl(input as string | URL)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return await globalThis.fetch(input, init)
  }
  const response = await requestOnce(nodeEngines, url, init!)
  if (redirects.has(response.status)) return await globalThis.fetch(input, init)
  return response as unknown as Response
}

function agentFor(engines: Engines, url: URL): HttpAgent {
  let agent = engines.agents.get(url.protocol)
  if (!agent) {
    const engine = url.protocol === 'https:' ? engines.https : engines.http
    agent = new engine.Agent({ keepAlive: true, maxSockets: 256 })
    engines.agents.set(url.protocol, agent)
  }
  return agent
}

function requestOnce(engines: Engines, url: URL, init: RequestInit): Promise<BufferedResponse> {
  const signal = init.signal ?? undefined
  signal?.throwIfAborted()
  const body = (init.body as string | undefined) ?? ''
  const headers: Record<string, string> = {}
  const given = init.headers
  if (given && !(given instanceof Headers) && !Array.isArray(given)) {
    // A plain object (what viem passes): read as is, without building a `Headers`.
    for (const [key, value] of Object.entries(given)) headers[key.toLowerCase()] = String(value)
  } else {
    new Headers(given).forEach((value, key) => {
      headers[key] = value
    })
  }
  headers['content-length'] = String(Buffer.byteLength(body))
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
    headers.authorization ??= `Basic ${Buffer.from(credentials).toString('base64')}`
  }
  const engine = url.protocol === 'https:' ? engines.https : engines.http
  return new Promise<BufferedResponse>((resolve, reject) => {
    const request = engine.request(
      {
        agent: agentFor(engines, url),
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: (init.method ?? 'POST').toUpperCase(),
        headers,
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', fail)
        response.on('end', () => {
          signal?.removeEventListener('abort', abort)
          resolve(
            new BufferedResponse(
              url.href,
              response.statusCode ?? 0,
              response.statusMessage ?? '',
              response.headers,
              Buffer.concat(chunks),
            ),
          )
        })
      },
    )
    function fail(error: unknown): void {
      signal?.removeEventListener('abort', abort)
      reject(error)
    }
    function abort(): void {
      request.destroy()
      fail(signal!.reason)
    }
    signal?.addEventListener('abort', abort, { once: true })
    request.on('error', fail)
    request.end(body)
  })
}
