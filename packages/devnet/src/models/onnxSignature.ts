// What an ONNX model declares (tensor names, element types, shapes), read through onnxruntime.
import type { InferenceSession } from 'onnxruntime-node'

/** The onnxruntime-node module, loaded on first use so importing the devnet stays cheap. */
export type OnnxRuntime = typeof import('onnxruntime-node')

let runtime: Promise<OnnxRuntime> | undefined

/**
 * Loads onnxruntime-node once and returns it.
 *
 * @example
 * ```ts
 * const ort = await loadOnnxRuntime()
 * const session = await ort.InferenceSession.create('model.onnx')
 * ```
 */
export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  runtime ??= import('onnxruntime-node')
  return runtime
}

/** One input or output a model declares. */
export type ModelTensorSignature = {
  name: string
  /**
   * The ONNX type in the inference node's spelling: `tensor(float)`, `tensor(int64)`,
   * `tensor(string)`…, or `non-tensor` for sequences and maps.
   */
  type: string
  /** Declared dimensions: a number when fixed, a name (`'n'`, `'batch'`) when symbolic. */
  shape: (number | string)[]
}

/** The declared inputs and outputs of an ONNX model, in session order. */
export type ModelSignature = {
  inputs: ModelTensorSignature[]
  outputs: ModelTensorSignature[]
}

// onnxruntime-node names element types after JS typed arrays; the node and the ONNX spec use
// `tensor(<onnx name>)`.
const onnxTypeNames: Readonly<Record<string, string>> = {
  float32: 'float',
  float64: 'double',
  float16: 'float16',
  bfloat16: 'bfloat16',
  int4: 'int4',
  uint4: 'uint4',
  int8: 'int8',
  uint8: 'uint8',
  int16: 'int16',
  uint16: 'uint16',
  int32: 'int32',
  uint32: 'uint32',
  int64: 'int64',
  uint64: 'uint64',
  string: 'string',
  bool: 'bool',
}

/**
 * Names an onnxruntime-node element type the way the inference node does.
 *
 * @example
 * ```ts
 * onnxTypeName('float32') // 'tensor(float)'
 * onnxTypeName('int64') // 'tensor(int64)'
 * ```
 */
export function onnxTypeName(runtimeType: string): string {
  return `tensor(${onnxTypeNames[runtimeType] ?? runtimeType})`
}

/**
 * Describes the inputs or outputs of an open session.
 *
 * @example
 * ```ts
 * describeSessionValues(session.inputMetadata)
 * // [{ name: 'x', type: 'tensor(float)', shape: [1, 4] }]
 * ```
 */
export function describeSessionValues(
  metadata: readonly InferenceSession.ValueMetadata[],
): ModelTensorSignature[] {
  return metadata.map((value) =>
    value.isTensor
      ? { name: value.name, type: onnxTypeName(value.type), shape: [...value.shape] }
      : { name: value.name, type: 'non-tensor', shape: [] },
  )
}

/**
 * Opens a model file just long enough to read its signature; `undefined` when the file is not
 * a model onnxruntime can load.
 *
 * @example
 * ```ts
 * const signature = await readModelSignature('/models/mlp.onnx')
 * signature?.inputs[0] // { name: 'x', type: 'tensor(float)', shape: [1, 4] }
 * ```
 */
export async function readModelSignature(file: string): Promise<ModelSignature | undefined> {
  const ort = await loadOnnxRuntime()
  let session: InferenceSession
  try {
    session = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'disabled' })
  } catch {
    return undefined
  }
  try {
    return {
      inputs: describeSessionValues(session.inputMetadata),
      outputs: describeSessionValues(session.outputMetadata),
    }
  } finally {
    await session.release()
  }
}
