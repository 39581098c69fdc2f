import { describe, expect, test } from 'vitest'
import { createStopFilter } from './stopSequences.js'

/** Feeds the pieces and returns what was emitted, and whether the filter stopped. */
function run(stop: string[], pieces: string[]) {
  const filter = createStopFilter(stop)
  let text = ''
  for (const piece of pieces) {
    const result = filter.push(piece)
    text += result.text
    if (result.stopped) return { text, stopped: true }
  }
  return { text: text + filter.flush(), stopped: false }
}

describe('createStopFilter', () => {
  test('default', () => {
    expect(run(['END'], ['Hello ', 'world END and more'])).toEqual({
      text: 'Hello world ',
      stopped: true,
    })
  })

  test('behavior: a sequence split over pieces still stops and never shows', () => {
    const filter = createStopFilter(['END'])
    expect(filter.push('Hello E')).toEqual({ text: 'Hello ', stopped: false })
    expect(filter.push('N')).toEqual({ text: '', stopped: false })
    expect(filter.push('D!')).toEqual({ text: '', stopped: true })
  })

  test('behavior: a held prefix that does not complete is released', () => {
    expect(run(['END'], ['Hello E', 'ach'])).toEqual({ text: 'Hello Each', stopped: false })
    expect(run(['END'], ['Hello EN'])).toEqual({ text: 'Hello EN', stopped: false })
  })

  test('behavior: every split of a text gives the same result', () => {
    const text = 'one two. three\n\nfour'
    for (let cut = 0; cut <= text.length; cut++) {
      expect(run(['\n\n', '. '], [text.slice(0, cut), text.slice(cut)])).toEqual({
        text: 'one two',
        stopped: true,
      })
    }
  })

  test('args: the earliest of several sequences wins; empty ones are ignored', () => {
    expect(run(['b', 'a', ''], ['xxab'])).toEqual({ text: 'xx', stopped: true })
    expect(run([], ['abc'])).toEqual({ text: 'abc', stopped: false })
  })
})
