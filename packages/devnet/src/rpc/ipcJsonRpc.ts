import { connect, type Socket } from 'node:net'
import { BaseError } from '@opengradient/core'
import { type JsonRpcClient, type JsonRpcErrorObject, JsonRpcResponseError } from './jsonRpc.js'

type Pending = { resolve(line: string): void; reject(error: unknown): void }

/**
 * Creates a JSON-RPC client over anvil's IPC socket (a Unix socket, or a named pipe on
 * Windows). Every request of the devnet front to its node goes through it: a round trip costs a
 * few dozen microseconds there, against half a millisecond for HTTP on loopback, mostly
 * syscalls and HTTP framing on both sides.
 *
 * Requests share one connection and are told apart by id: anvil answers each with one line
 * of JSON, in whatever order they finish. A forwarded body keeps its caller's ids: they are
 * swapped for the client's own on the way in and put back on the way out. A body without ids
 * (notifications) goes to `fallback`, the HTTP client, since no answer would come back.
 *
 * @example
 * ```ts
 * const rpc = createIpcJsonRpcClient('/tmp/anvil.ipc', createJsonRpcClient('http://127.0.0.1:8546'))
 * await rpc.request('eth_blockNumber')
 * ```
 */
export function createIpcJsonRpcClient(
  path: string,
  fallback: JsonRpcClient,
): JsonRpcClient & { close(): void } {
  let socket: Socket | undefined
  let buffered = ''
  let nextId = 1
  let corked = false
  let closed = false
  const pending = new Map<number, Pending>()

  function failAll(error: unknown): void {
    const waiting = [...new Set(pending.values())]
    pending.clear()
    for (const entry of waiting) entry.reject(error)
  }

  function idOf(line: string): number | undefined {
    // anvil writes `jsonrpc` then `id` first; anything else is parsed.
    const match = /^\[?\{"jsonrpc":"2\.0","id":(\d+),/.exec(line)
    if (match) return Number(match[1])
    try {
      const value = JSON.parse(line) as { id?: unknown } | { id?: unknown }[]
      const id = Array.isArray(value) ? value[0]?.id : value.id
      return typeof id === 'number' ? id : undefined
    } catch {
      return undefined
    }
  }

  function onData(chunk: string): void {
    let start = 0
    let end = chunk.indexOf('\n')
    if (end === -1) {
      buffered += chunk
      return
    }
    while (end !== -1) {
      const line = buffered + chunk.slice(start, end)
      buffered = ''
      if (line.length > 0) {
        const id = idOf(line)
        const entry = id === undefined ? undefined : pending.get(id)
        if (entry) entry.resolve(line)
      }
      start = end + 1
      end = chunk.indexOf('\n', start)
    }
    buffered = chunk.slice(start)
  }

  function open(): Socket {
    if (socket && !socket.destroyed) return socket
    const opened = connect(path)
    opened.setEncoding('utf8')
    opened.on('data', onData)
    const drop = (error?: Error) => {
      if (socket === opened) socket = undefined
      buffered = ''
      failAll(
        error ??
          new BaseError('The connection to the node closed.', { details: `IPC socket ${path}` }),
      )
    }
    opened.on('error', drop)
    opened.on('close', () => drop())
    socket = opened
    return opened
  }

  /** Sends one line; `ids` are the request ids its answer may carry (a batch has several). */
  function send(text: string, ids: readonly number[]): Promise<string> {
    if (closed) return Promise.reject(new BaseError('The IPC client is closed.'))
    return new Promise<string>((resolve, reject) => {
      const entry: Pending = {
        resolve(line) {
          for (const id of ids) pending.delete(id)
          resolve(line)
        },
        reject(error) {
          for (const id of ids) pending.delete(id)
          reject(error)
        },
      }
      for (const id of ids) pending.set(id, entry)
      const target = open()
      // Requests made in the same turn of the event loop leave in one write.
      if (!corked) {
        corked = true
        target.cork()
        process.nextTick(() => {
          corked = false
          target.uncork()
        })
      }
      target.write(`${text}\n`)
    })
  }

  async function forward(body: string): Promise<string> {
    let parsed: unknown
    try {
      parsed = JSON.parse(body)
    } catch {
      return await fallback.forward(body)
    }
    const isCall = (item: unknown): item is { id: unknown } =>
      typeof item === 'object' && item !== null && !Array.isArray(item) && 'id' in item
    if (Array.isArray(parsed)) {
      if (parsed.length === 0 || !parsed.every(isCall)) return await fallback.forward(body)
      const originals = new Map<number, unknown>()
      const ids = parsed.map((item) => {
        const id = nextId++
        originals.set(id, item.id)
        item.id = id
        return id
      })
      const line = await send(JSON.stringify(parsed), ids)
      const answers = JSON.parse(line) as { id?: unknown }[]
      for (const answer of answers) {
        if (typeof answer.id === 'number' && originals.has(answer.id)) {
          answer.id = originals.get(answer.id)
        }
      }
      return JSON.stringify(answers)
    }
    if (!isCall(parsed)) return await fallback.forward(body)
    const original = parsed.id
    const id = nextId++
    parsed.id = id
    const line = await send(JSON.stringify(parsed), [id])
    const prefix = `{"jsonrpc":"2.0","id":${id},`
    if (line.startsWith(prefix)) {
      return `{"jsonrpc":"2.0","id":${JSON.stringify(original ?? null)},${line.slice(prefix.length)}`
    }
    const answer = JSON.parse(line) as { id?: unknown }
    answer.id = original
    return JSON.stringify(answer)
  }

  return {
    url: fallback.url,
    async request<T>(method: string, params: readonly unknown[] = []): Promise<T> {
      const id = nextId++
      const line = await send(JSON.stringify({ jsonrpc: '2.0', id, method, params }), [id])
      const answer = JSON.parse(line) as { result?: T; error?: JsonRpcErrorObject }
      if (answer.error) throw new JsonRpcResponseError(method, answer.error)
      return answer.result as T
    },
    forward,
    close() {
      closed = true
      socket?.destroy()
      socket = undefined
      failAll(new BaseError('The IPC client is closed.'))
    },
  }
}
