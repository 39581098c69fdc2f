// The devnet's tiny language model (scripts/tiny-lm.mjs): a word-level model run step by step by
// the ONNX engine, with greedy or seeded top-k sampling.
import { readFile } from 'node:fs/promises'
import { encodeFixedPoint, fixedPointToNumber } from '@opengradient/core'
import type { OnnxEngine } from '../engine/onnx.js'
import { builtinModelPath } from '../models/builtin.js'
import type { ModelStore } from '../models/store.js'

/** File of the model under the package's `models/` directory. */
export const tinyModelFileName = 'tiny-lm.onnx'
const vocabularyFileName = 'tiny-lm.vocab.txt'
const endToken = 0

/** Same pattern as the build script: words, numbers and punctuation, with one leading space. */
const tokenPattern = /(\s*)([A-Za-z]+(?:'[A-Za-z]+)?|\d+|[^\sA-Za-z\d])/g

/**
 * Splits text into the model's token texts (known or not).
 *
 * @example
 * ```ts
 * tokenize('The river.') // ['The', ' river', '.']
 * ```
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = []
  for (const match of text.matchAll(tokenPattern)) tokens.push((match[1] ? ' ' : '') + match[2])
  return tokens
}

export type TinyGenerateParameters = {
  /**
   * `continue` extends the text as a completion; `reply` answers it as a chat turn, opening with
   * the last topic word of the text the model knows ("The river …").
   */
  mode: 'continue' | 'reply'
  text: string
  maxTokens: number
  /** 0 picks the most likely token; above 0 samples the 8 best, flattened or sharpened. */
  temperature: number
  /** Seed of the sampler. @default a hash of the text */
  seed?: number | undefined
  signal?: AbortSignal | undefined
}

/** The tiny model, ready to generate. */
export type TinyLanguageModel = {
  /** The model's id in the devnet's model store. */
  modelId: string
  /** Tokens of a text, as usage counts them. */
  countTokens(text: string): number
  /**
   * Yields the reply one token text at a time; returns why it ended: `stop` (end token) or
   * `length` (`maxTokens` reached).
   */
  generate(parameters: TinyGenerateParameters): AsyncGenerator<string, 'stop' | 'length'>
}

/**
 * Adds the tiny model to the store (once) and prepares it to run on the engine.
 *
 * @example
 * ```ts
 * const model = await loadTinyLanguageModel({ store, engine })
 * for await (const token of model.generate({ mode: 'continue', text: 'The river', maxTokens: 10, temperature: 0 })) {
 *   process.stdout.write(token)
 * }
 * ```
 */
export async function loadTinyLanguageModel(parameters: {
  store: ModelStore
  engine: OnnxEngine
}): Promise<TinyLanguageModel> {
  const { store, engine } = parameters
  const stored = await store.add(builtinModelPath(tinyModelFileName), { name: 'devnet-tiny-lm' })
  // One token per line: a JSON string, then ` topic` for the words a reply may open with.
  const tokens: string[] = []
  const topicIds = new Set<number>()
  for (const line of (await readFile(builtinModelPath(vocabularyFileName), 'utf8')).split('\n')) {
    if (!line) continue
    const topic = line.endsWith('" topic')
    if (topic) topicIds.add(tokens.length)
    tokens.push(JSON.parse(topic ? line.slice(0, -' topic'.length) : line) as string)
  }
  const ids = new Map(tokens.map((token, id) => [token, id]))
  const the = ids.get('The') ?? endToken

  const idOf = (token: string): number | undefined =>
    ids.get(token) ??
    ids.get(token.toLowerCase()) ??
    (token.startsWith(' ') ? ids.get(token.slice(1)) : ids.get(` ${token}`)) ??
    ids.get(` ${token.trim().toLowerCase()}`)

  async function candidates(previous: number, before: number, temperature: number) {
    const output = await engine.runModelInference({
      mode: 0,
      modelId: stored.cid,
      input: {
        numbers: [
          {
            name: 'previous_token',
            values: [{ value: BigInt(previous), decimals: 0n }],
            shape: [1],
          },
          { name: 'token_before', values: [{ value: BigInt(before), decimals: 0n }], shape: [1] },
          {
            name: 'temperature',
            values: [encodeFixedPoint(temperature > 0 ? Math.min(temperature, 100) : 1)],
            shape: [1],
          },
        ],
        strings: [],
      },
    })
    const probabilities = output.numbers.find((tensor) => tensor.name === 'probabilities')
    const tokenIds = output.numbers.find((tensor) => tensor.name === 'tokens')
    return (tokenIds?.values ?? []).map((value, index) => ({
      id: fixedPointToNumber(value),
      probability: fixedPointToNumber(probabilities?.values[index] ?? { value: 0n, decimals: 0n }),
    }))
  }

  async function* generate(
    request: TinyGenerateParameters,
  ): AsyncGenerator<string, 'stop' | 'length'> {
    const random = createRandom(request.seed ?? hashText(request.text))
    const context: number[] = [endToken, endToken]
    let produced = 0
    if (request.mode === 'continue') {
      for (const token of tokenize(request.text)) {
        const id = idOf(token)
        if (id !== undefined) context.push(id)
      }
    } else {
      const topic = tokenize(request.text)
        .map((token) => idOf(` ${token.trim().toLowerCase()}`))
        .filter((id): id is number => id !== undefined && topicIds.has(id))
        .at(-1)
      if (topic !== undefined) {
        for (const id of [the, topic]) {
          if (produced >= request.maxTokens) return 'length'
          context.push(id)
          produced++
          yield tokens[id]!
        }
      }
    }
    const seen = new Set<string>()
    for (; produced < request.maxTokens; produced++) {
      if (request.signal?.aborted) return 'stop'
      const previous = context[context.length - 1]!
      const before = context[context.length - 2]!
      let options = (await candidates(previous, before, request.temperature)).filter(
        (option) => !seen.has(`${before},${previous},${option.id}`),
      )
      // A completion says at least one word.
      if (produced === 0 && request.mode === 'continue') {
        options = options.filter((option) => option.id !== endToken)
      }
      const choice =
        options.length === 0
          ? endToken
          : request.temperature > 0
            ? sample(options, random)
            : options[0]!.id
      if (choice === endToken) return 'stop'
      seen.add(`${before},${previous},${choice}`)
      context.push(choice)
      yield tokens[choice] ?? ''
    }
    return 'length'
  }

  return {
    modelId: stored.cid,
    countTokens: (text) => tokenize(text).length,
    generate,
  }
}

function sample(options: readonly { id: number; probability: number }[], random: () => number) {
  const total = options.reduce((sum, option) => sum + option.probability, 0)
  let target = random() * total
  for (const option of options) {
    target -= option.probability
    if (target <= 0) return option.id
  }
  return options[options.length - 1]!.id
}

/** FNV-1a over UTF-16 code units: a stable seed from a text. */
function hashText(text: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/** Mulberry32: a small deterministic generator of numbers in [0, 1). */
function createRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}
