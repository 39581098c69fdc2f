// The devnet's tiny language model: a word-level model whose next-token scores are a bigram
// table (previous token) plus a skip-gram table (the token before it), counted from
// tiny-lm-corpus.txt. The ONNX graph looks both rows up (Gather), adds them, divides by the
// temperature, applies Softmax and returns the 8 most likely next tokens (TopK).
import { readFileSync } from 'node:fs'
import {
  ElementType,
  encodeModel,
  floatInitializer,
  int64Initializer,
  intAttribute,
  node,
  tensorValue,
} from './onnx-builder.mjs'

/** Id of the end-of-text token: it starts every context and ends every reply. */
export const endToken = 0
/** Text of the end-of-text token in the vocabulary. */
export const endTokenText = '<|end|>'
/** How many candidates the model returns for each step. */
export const candidateCount = 8

/**
 * Splits text into tokens: words, numbers and single punctuation marks, each carrying one
 * leading space when whitespace preceded it. The devnet's runtime tokenizer is the same.
 */
export const tokenPattern = /(\s*)([A-Za-z]+(?:'[A-Za-z]+)?|\d+|[^\sA-Za-z\d])/g

export function tokenize(text) {
  const tokens = []
  for (const match of text.matchAll(tokenPattern)) tokens.push((match[1] ? ' ' : '') + match[2])
  return tokens
}

// Add-k smoothing keeps every transition possible; the skip-gram weight keeps the bigram in
// charge while letting the token before break ties and loops.
const smoothing = 0.05
const skipWeight = 0.5

/** Reads the corpus: paragraphs separated by blank lines, each a document. */
export function readCorpus() {
  const text = readFileSync(new URL('./tiny-lm-corpus.txt', import.meta.url), 'utf8')
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
}

/** The vocabulary: the end token, then every corpus token by falling count, then by text. */
export function buildVocabulary(documents = readCorpus()) {
  const counts = new Map()
  for (const document of documents) {
    for (const token of tokenize(document)) counts.set(token, (counts.get(token) ?? 0) + 1)
  }
  const tokens = [...counts.entries()]
    .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0))
    .map(([token]) => token)
  return [endTokenText, ...tokens]
}

function logTable(size, counts) {
  const table = new Array(size * size)
  for (let row = 0; row < size; row++) {
    let total = 0
    for (let column = 0; column < size; column++) total += counts[row * size + column]
    const denominator = total + smoothing * size
    for (let column = 0; column < size; column++) {
      table[row * size + column] = Math.log((counts[row * size + column] + smoothing) / denominator)
    }
  }
  return table
}

/**
 * Builds the model: `{ onnx, vocabulary, topics }`; the same corpus always gives the same bytes.
 */
export function buildTinyLm() {
  const documents = readCorpus()
  const vocabulary = buildVocabulary(documents)
  const size = vocabulary.length
  const ids = new Map(vocabulary.map((token, id) => [token, id]))
  const bigrams = new Array(size * size).fill(0)
  const skips = new Array(size * size).fill(0)
  for (const document of documents) {
    const sequence = [
      endToken,
      endToken,
      ...tokenize(document).map((token) => ids.get(token)),
      endToken,
    ]
    for (let index = 2; index < sequence.length; index++) {
      bigrams[sequence[index - 1] * size + sequence[index]]++
      skips[sequence[index - 2] * size + sequence[index]]++
    }
  }
  const skipTable = logTable(size, skips).map((value) => value * skipWeight)
  // Words seen after " the": the nouns a chat reply can open with ("The river …").
  const the = ids.get(' the')
  const topics = vocabulary.filter(
    (token, id) => id !== endToken && /^ [a-z]{3,}$/.test(token) && bigrams[the * size + id] > 0,
  )
  const onnx = encodeModel({
    name: 'devnet_tiny_lm',
    docString:
      'probabilities, tokens = TopK(Softmax((bigram[previous_token] + skip[token_before]) / temperature), 8)',
    inputs: [
      tensorValue('previous_token', ElementType.int64, [1]),
      tensorValue('token_before', ElementType.int64, [1]),
      tensorValue('temperature', ElementType.float, [1]),
    ],
    outputs: [
      tensorValue('probabilities', ElementType.float, [1, candidateCount]),
      tensorValue('tokens', ElementType.int64, [1, candidateCount]),
    ],
    initializers: [
      floatInitializer('bigram_logits', [size, size], logTable(size, bigrams)),
      floatInitializer('skip_logits', [size, size], skipTable),
      int64Initializer('candidate_count', [1], [candidateCount]),
    ],
    nodes: [
      node(
        'Gather',
        ['bigram_logits', 'previous_token'],
        ['bigram_row'],
        [intAttribute('axis', 0)],
      ),
      node('Gather', ['skip_logits', 'token_before'], ['skip_row'], [intAttribute('axis', 0)]),
      node('Add', ['bigram_row', 'skip_row'], ['logits']),
      node('Div', ['logits', 'temperature'], ['scaled_logits']),
      node('Softmax', ['scaled_logits'], ['distribution'], [intAttribute('axis', -1)]),
      node(
        'TopK',
        ['distribution', 'candidate_count'],
        ['probabilities', 'tokens'],
        [intAttribute('axis', -1), intAttribute('largest', 1), intAttribute('sorted', 1)],
      ),
    ],
  })
  return { onnx, vocabulary, topics }
}

/**
 * The vocabulary file: one token per line in id order, as a JSON string (leading spaces stay
 * visible), followed by ` topic` for the words a chat reply may open with.
 */
export function vocabularyText(vocabulary, topics) {
  const topicSet = new Set(topics)
  return vocabulary
    .map((token) => `${JSON.stringify(token)}${topicSet.has(token) ? ' topic' : ''}\n`)
    .join('')
}
