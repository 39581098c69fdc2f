/** Cuts generated text at the first stop sequence, across any split of the text into pieces. */
export type StopFilter = {
  /** Adds a piece; returns the text safe to emit now, and whether a stop sequence was reached. */
  push(text: string): { text: string; stopped: boolean }
  /** The text held back at the end of the reply (a prefix of a stop sequence that never completed). */
  flush(): string
}

/**
 * Creates a stop filter. Text that could be the start of a stop sequence is held back until the
 * next piece decides, so a stop sequence split over pieces still ends the reply and never shows.
 *
 * @example
 * ```ts
 * const filter = createStopFilter(['END'])
 * filter.push('Hello E') // { text: 'Hello ', stopped: false }
 * filter.push('ND more') // { text: '', stopped: true }
 * ```
 */
export function createStopFilter(stop: readonly string[]): StopFilter {
  const sequences = stop.filter((sequence) => sequence.length > 0)
  let held = ''
  return {
    push(piece) {
      if (sequences.length === 0) return { text: piece, stopped: false }
      const text = held + piece
      let cut = -1
      for (const sequence of sequences) {
        const index = text.indexOf(sequence)
        if (index !== -1 && (cut === -1 || index < cut)) cut = index
      }
      if (cut !== -1) {
        held = ''
        return { text: text.slice(0, cut), stopped: true }
      }
      let keep = 0
      for (const sequence of sequences) {
        for (let length = Math.min(sequence.length - 1, text.length); length > keep; length--) {
          if (text.endsWith(sequence.slice(0, length))) {
            keep = length
            break
          }
        }
      }
      held = text.slice(text.length - keep)
      return { text: text.slice(0, text.length - keep), stopped: false }
    },
    flush() {
      const rest = held
      held = ''
      return rest
    },
  }
}
