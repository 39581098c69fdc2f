import { describe, expect, test } from 'vitest'
import { createSseParser, type SseEvent } from './sse.js'

/** Parses the pieces and returns the events. */
function parse(pieces: readonly (string | Uint8Array)[]): SseEvent[] {
  const events: SseEvent[] = []
  const parser = createSseParser((event) => events.push(event))
  for (const piece of pieces) parser.push(piece)
  parser.end()
  return events
}

const encoder = new TextEncoder()

describe('createSseParser', () => {
  test('default', () => {
    expect(parse(['data: {"a": 1}\n\ndata: [DONE]\n\n'])).toEqual([
      { data: '{"a": 1}', event: undefined, id: undefined },
      { data: '[DONE]', event: undefined, id: undefined },
    ])
  })

  test('behavior: CRLF, CR and LF line ends, comments, fields', () => {
    expect(
      parse([
        ': keep-alive\r\nevent: update\r\nid: 7\r\ndata:first\r\ndata: second\r\r\ndata: x\n\n',
      ]),
    ).toEqual([
      { data: 'first\nsecond', event: 'update', id: '7' },
      { data: 'x', event: undefined, id: '7' },
    ])
  })

  test('behavior: every split of the bytes gives the same events', () => {
    const text = 'data: {"t": "héllo 😀 ✓"}\r\n\r\ndata: {"t": "b"}\r\n\r\ndata: [DONE]\r\n\r\n'
    const bytes = encoder.encode(text)
    const expected = parse([text])
    expect(expected).toHaveLength(3)
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(parse([bytes.subarray(0, cut), bytes.subarray(cut)]), `cut at ${cut}`).toEqual(
        expected,
      )
    }
    expect(parse(Array.from(bytes, (byte) => Uint8Array.of(byte)))).toEqual(expected)
  })

  test('behavior: a last event without its blank line is still dispatched', () => {
    expect(parse(['data: {"a": 1}'])).toEqual([
      { data: '{"a": 1}', event: undefined, id: undefined },
    ])
    expect(parse(['data: a\n\n', ': only a comment'])).toHaveLength(1)
  })
})
