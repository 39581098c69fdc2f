import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  buildTinyLm,
  tokenize as buildTokenize,
  readCorpus,
  vocabularyText,
} from '../../scripts/tiny-lm.mjs'
import { createOnnxEngine, type OnnxEngine } from '../engine/onnx.js'
import { builtinModelPath } from '../models/builtin.js'
import { createModelStore } from '../models/store.js'
import {
  loadTinyLanguageModel,
  type TinyLanguageModel,
  tinyModelFileName,
  tokenize,
} from './tinyModel.js'

let dir: string
let engine: OnnxEngine
let model: TinyLanguageModel

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'og-tiny-lm-'))
  const store = createModelStore({ dir })
  engine = createOnnxEngine({ store })
  model = await loadTinyLanguageModel({ store, engine })
})

afterAll(async () => {
  await engine.close()
  await rm(dir, { recursive: true, force: true })
})

async function generate(parameters: Parameters<TinyLanguageModel['generate']>[0]) {
  const tokens: string[] = []
  const generator = model.generate(parameters)
  for (;;) {
    const next = await generator.next()
    if (next.done) return { tokens, finishReason: next.value }
    tokens.push(next.value)
  }
}

describe('tiny model', () => {
  test('behavior: the committed files equal their rebuild', async () => {
    const { onnx, vocabulary, topics } = buildTinyLm()
    expect(Buffer.from(onnx).equals(await readFile(builtinModelPath(tinyModelFileName)))).toBe(true)
    expect(await readFile(builtinModelPath('tiny-lm.vocab.txt'), 'utf8')).toBe(
      vocabularyText(vocabulary, topics),
    )
  })

  test('behavior: the runtime tokenizer is the training one', () => {
    for (const document of readCorpus()) expect(tokenize(document)).toEqual(buildTokenize(document))
    expect(tokenize('Hi, the river!')).toEqual(['Hi', ',', ' the', ' river', '!'])
  })

  test('default: continues a prompt token by token', async () => {
    expect(
      await generate({ mode: 'continue', text: 'The river', maxTokens: 6, temperature: 0 }),
    ).toEqual({
      tokens: [' is', ' a', ' small', ' harbor', '.'],
      finishReason: 'stop',
    })
  })

  test('args: a reply opens with the last topic it knows', async () => {
    const { tokens } = await generate({
      mode: 'reply',
      text: 'Tell me about the forest',
      maxTokens: 40,
      temperature: 0,
    })
    expect(tokens.slice(0, 2)).toEqual(['The', ' forest'])
  })

  test('args: maxTokens', async () => {
    expect(
      await generate({ mode: 'continue', text: 'In', maxTokens: 2, temperature: 0 }),
    ).toMatchObject({
      finishReason: 'length',
    })
  })

  test('args: temperature samples deterministically for a seed', async () => {
    const parameters = { mode: 'continue' as const, text: 'The', maxTokens: 30, temperature: 2 }
    const first = await generate({ ...parameters, seed: 1 })
    expect(await generate({ ...parameters, seed: 1 })).toEqual(first)
    const others = await Promise.all([2, 3, 4].map((seed) => generate({ ...parameters, seed })))
    expect(others.some((other) => other.tokens.join('') !== first.tokens.join(''))).toBe(true)
  })

  test('behavior: counts tokens like the tokenizer', () => {
    expect(model.countTokens('The river runs.')).toBe(4)
  })
})
