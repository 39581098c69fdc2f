// The `tiny` backend: replies generated token by token by the devnet's tiny language model.
import { instanceOfSchema } from '../jsonSchema.js'
import { lastUserText } from '../messages.js'
import type { TinyLanguageModel } from '../tinyModel.js'
import type { GenerationEvent, GenerationRequest, LlmBackend } from '../types.js'

/** Longest text the model writes into one string of a structured reply. */
const structuredStringTokens = 12

/**
 * Creates the tiny-model backend. Completions continue the prompt; chat replies answer the last
 * user message. With a JSON `response_format` the reply is a value of the requested schema (an
 * object with an `answer` for `json_object`) whose strings the model writes; `max_tokens` then
 * bounds each string, never the JSON itself.
 *
 * @example
 * ```ts
 * const backend = createTinyBackend(() => modelPromise)
 * ```
 */
export function createTinyBackend(model: () => Promise<TinyLanguageModel>): LlmBackend {
  return async function* tiny(request: GenerationRequest): AsyncGenerator<GenerationEvent> {
    const tinyModel = await model()
    const text = request.endpoint === 'completion' ? request.prompt : lastUserText(request.messages)
    const format = request.responseFormat
    if (format && (format.type === 'json_object' || format.type === 'json_schema')) {
      let written = 0
      const schema =
        format.type === 'json_schema'
          ? (format.json_schema as { schema?: unknown } | undefined)?.schema
          : { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] }
      const value = await instanceOfSchema(schema ?? {}, async (name) => {
        let phrase = ''
        const generator = tinyModel.generate({
          mode: 'reply',
          text: name ? `${text} ${name}` : text,
          maxTokens: Math.min(structuredStringTokens, request.maxTokens),
          temperature: request.temperature,
          seed: request.seed,
          signal: request.signal,
        })
        for await (const token of generator) {
          phrase += token
          written++
          if (token === '.') break
        }
        return phrase.trim()
      })
      const json = JSON.stringify(value)
      // The JSON goes out in pieces, as a provider streams it.
      for (const piece of json.match(/"(?:[^"\\]|\\.){0,24}"?|[^"]{1,24}/g) ?? [json]) {
        yield { type: 'content', text: piece }
      }
      yield {
        type: 'finish',
        finishReason: 'stop',
        usage: { promptTokens: tinyModel.countTokens(text), completionTokens: written },
      }
      return
    }
    const generator = tinyModel.generate({
      mode: request.endpoint === 'completion' ? 'continue' : 'reply',
      text,
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      seed: request.seed,
      signal: request.signal,
    })
    let completionTokens = 0
    for (;;) {
      const next = await generator.next()
      if (next.done) {
        yield {
          type: 'finish',
          finishReason: next.value,
          usage: { promptTokens: tinyModel.countTokens(text), completionTokens },
        }
        return
      }
      completionTokens++
      yield { type: 'content', text: next.value }
    }
  }
}
