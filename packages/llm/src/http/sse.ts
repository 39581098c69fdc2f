// An incremental parser of server-sent events (the WHATWG event-stream format).

/** One dispatched event. */
export type SseEvent = {
  /** The `data` lines joined with `\n`. */
  data: string
  /** The `event` field, when the server named the event. */
  event: string | undefined
  /** The last `id` field seen in the stream. */
  id: string | undefined
}

/** Feeds bytes in as they arrive; events come out through the callback. */
export type SseParser = {
  /** Parses a piece of the stream: any split, including inside a UTF-8 character or a CRLF. */
  push(chunk: Uint8Array | string): void
  /** Ends the stream: flushes a last line and a last event that lacked their terminators. */
  end(): void
}

/**
 * Creates an incremental SSE parser. Chunks may be split anywhere (inside a multi-byte UTF-8
 * character, between `\r` and `\n`); lines end with LF, CRLF or CR; comments (`:`) and unknown
 * fields are skipped; a blank line dispatches the event. An event still open when the stream
 * ends is dispatched too, because gateways sometimes close without the final blank line.
 *
 * @example
 * ```ts
 * const parser = createSseParser((event) => console.log(event.data))
 * parser.push(new TextEncoder().encode('data: {"a"'))
 * parser.push(new TextEncoder().encode(': 1}\n\n')) // logs '{"a": 1}'
 * parser.end()
 * ```
 */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  const decoder = new TextDecoder()
  let buffer = ''
  // The previous piece ended with CR: a LF opening the next piece belongs to the same line end.
  let afterCarriageReturn = false
  let data: string | undefined
  let eventName: string | undefined
  let lastId: string | undefined

  function dispatch(): void {
    if (data !== undefined) onEvent({ data, event: eventName, id: lastId })
    data = undefined
    eventName = undefined
  }

  function processLine(line: string): void {
    if (line.length === 0) {
      dispatch()
      return
    }
    // Fast path for the only field LLM gateways send.
    if (line.startsWith('data:')) {
      const value = line.charCodeAt(5) === 0x20 ? line.slice(6) : line.slice(5)
      data = data === undefined ? value : `${data}\n${value}`
      return
    }
    if (line.charCodeAt(0) === 0x3a) return
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.charCodeAt(0) === 0x20) value = value.slice(1)
    if (field === 'data') data = data === undefined ? value : `${data}\n${value}`
    else if (field === 'event') eventName = value
    else if (field === 'id' && !value.includes('\0')) lastId = value
  }

  /** One event's lines (the text between two blank lines). */
  function processBlock(block: string): void {
    // Fast path for what LLM gateways send: a single `data:` line.
    if (block.startsWith('data:') && block.indexOf('\n') === -1) {
      const value = block.charCodeAt(5) === 0x20 ? block.slice(6) : block.slice(5)
      data = data === undefined ? value : `${data}\n${value}`
    } else {
      let start = 0
      for (let end = block.indexOf('\n'); end !== -1; end = block.indexOf('\n', start)) {
        processLine(block.slice(start, end))
        start = end + 1
      }
      processLine(block.slice(start))
    }
    dispatch()
  }

  function feed(text: string): void {
    if (text.length === 0) return
    if (afterCarriageReturn) {
      afterCarriageReturn = false
      if (text.charCodeAt(0) === 0x0a) text = text.slice(1)
    }
    if (text.includes('\r')) {
      afterCarriageReturn = text.charCodeAt(text.length - 1) === 0x0d
      text = text.replace(/\r\n?/g, '\n')
    }
    const pending = buffer + text
    let start = 0
    for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n', start)) {
      processBlock(pending.slice(start, end))
      start = end + 2
    }
    buffer = start === 0 ? pending : pending.slice(start)
  }

  return {
    push(chunk) {
      feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }))
    },
    end() {
      feed(decoder.decode())
      const rest = buffer
      buffer = ''
      // The last event may lack its blank line (or even its line end).
      if (rest.length > 0) processBlock(rest.endsWith('\n') ? rest.slice(0, -1) : rest)
      else dispatch()
    },
  }
}
