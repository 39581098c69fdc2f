import { existsSync } from 'node:fs'
import { appendFile, readFile } from 'node:fs/promises'

/** What the result endpoint knows of one inference, keyed by the precompile's inference id. */
export type InferenceRecord = {
  inferenceId: string
  /** Inference mode number as the request carried it (0 VANILLA, 1 ZKML, 2 TEE). */
  mode: number
  modelId: string
  /** The `model_output` JSON of the node REST API (values as strings, decimals as numbers). */
  modelOutput: unknown
  createdAt: number
}

/** Results of executed inferences, kept in memory and appended to a JSON-lines file. */
export type ResultStore = {
  get(inferenceId: string): InferenceRecord | undefined
  /** Serves the record at once; resolves when it is in the file. */
  put(record: InferenceRecord): Promise<void>
  size(): number
}

/**
 * Opens the result store. Each record is appended as one line and the file is read back at
 * start, so a restart keeps every result; a line torn by a crash is skipped.
 *
 * @example
 * ```ts
 * const results = await openResultStore({ file: '/tmp/devnet/results.jsonl' })
 * results.get('0xabc…')
 * ```
 */
export async function openResultStore(parameters: {
  file?: string | undefined
}): Promise<ResultStore> {
  const records = new Map<string, InferenceRecord>()
  const { file } = parameters
  if (file && existsSync(file)) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (!line.trim()) continue
      try {
        const record = JSON.parse(line) as InferenceRecord
        records.set(record.inferenceId, record)
      } catch {
        // A torn last line after a crash: the record was never acknowledged.
      }
    }
  }
  // Lines not yet appended, and the append under way: records arriving while one append runs
  // go to the file together in the next, so a burst of inferences costs a few writes.
  let pending: string[] = []
  let flushed: Promise<void> | undefined
  let writing: Promise<void> = Promise.resolve()
  return {
    get: (inferenceId) => records.get(inferenceId),
    size: () => records.size,
    put(record) {
      records.set(record.inferenceId, record)
      if (!file) return Promise.resolve()
      pending.push(`${JSON.stringify(record)}\n`)
      flushed ??= writing.then(() => {
        const lines = pending
        pending = []
        flushed = undefined
        return appendFile(file, lines.join(''))
      })
      writing = flushed.catch(() => {})
      return flushed
    },
  }
}

/**
 * Builds the node REST API's answer for an inference id, in the reference's JSON shape: the
 * result is JSON, base64-encoded, under `inference_results[0]`, nested by mode.
 *
 * @example
 * ```ts
 * const body = inferenceResultResponse(record) // { inference_results: ['eyJJbmZlcmVuY2VSZXN1bHQi…'] }
 * ```
 */
export function inferenceResultResponse(record: InferenceRecord | undefined): {
  inference_results: string[]
} {
  if (!record) return { inference_results: [] }
  const modelOutput = record.modelOutput
  const inferenceResult =
    record.mode === 1
      ? { ZkmlResult: { model_output: modelOutput } }
      : record.mode === 2
        ? { TeeNodeResult: { Response: { VanillaResponse: { model_output: modelOutput } } } }
        : { VanillaResult: { model_output: modelOutput } }
  const json = JSON.stringify({ InferenceResult: inferenceResult })
  return { inference_results: [Buffer.from(json, 'utf8').toString('base64')] }
}
