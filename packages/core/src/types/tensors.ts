/**
 * A fixed-point number as the chain carries it: `value × 10^-decimals`, both int128.
 *
 * @example
 * ```ts
 * const tenth: FixedPointNumber = { value: 1n, decimals: 1n } // 0.1
 * ```
 */
export type FixedPointNumber = {
  value: bigint
  decimals: bigint
}

/** The on-chain number tensor (`TensorLib.MultiDimensionalNumberTensor`), row-major values. */
export type AbiNumberTensor = {
  name: string
  values: readonly FixedPointNumber[]
  shape: readonly number[]
}

/** The on-chain string tensor (`TensorLib.StringTensor`); it has no shape on chain. */
export type AbiStringTensor = {
  name: string
  values: readonly string[]
}

/** A JSON scalar of a model output (`TensorLib.JsonScalar`): `value` is JSON text. */
export type AbiJsonScalar = {
  name: string
  value: string
}

/** The on-chain `ModelInput` struct, ready for ABI encoding. */
export type AbiModelInput = {
  numbers: readonly AbiNumberTensor[]
  strings: readonly AbiStringTensor[]
}

/** The on-chain `ModelOutput` struct, as decoded from a log or a return value. */
export type AbiModelOutput = {
  numbers: readonly AbiNumberTensor[]
  strings: readonly AbiStringTensor[]
  jsons: readonly AbiJsonScalar[]
  is_simulation_result: boolean
}

/** A JS value that can be an element of a number tensor: exact for bigint and decimal strings. */
export type NumericElement = number | bigint

/** Arbitrarily nested arrays of `T`. */
export type NestedArray<T> = readonly (T | NestedArray<T>)[]

/** Typed arrays accepted as number tensors (flat, with an explicit or implied 1-D shape). */
export type NumericTypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array

/**
 * An explicit number tensor: flat (row-major) or nested values with an optional shape.
 * Elements may be decimal strings such as `"123.4500"` for values a JS number cannot hold
 * exactly; they are encoded exactly.
 *
 * @example
 * ```ts
 * const input = { price: { type: 'number', values: ['1234.5678901234567'], shape: [1] } }
 * ```
 */
export type NumberTensorInput = {
  type: 'number'
  /** Nested or flat values, a typed array, or one element (shape `[1]`). */
  values: NumericTypedArray | NestedArray<NumericElement | string> | NumericElement | string
  /** Row-major shape of the values; defaults to the nesting of `values`. */
  shape?: readonly number[] | undefined
}

/**
 * An explicit string tensor. On chain a string tensor has no shape: a shape with more than one
 * dimension is flattened (and reported by `encodeModelInput`'s `onWarning`).
 */
export type StringTensorInput = {
  type: 'string'
  /** Nested or flat strings, or one string (shape `[1]`). */
  values: NestedArray<string> | string
  /** Row-major shape of the values; defaults to the nesting of `values`. */
  shape?: readonly number[] | undefined
}

/** One entry of a {@link ModelInput}. */
export type ModelInputValue =
  | number
  | bigint
  | string
  | NestedArray<NumericElement>
  | NestedArray<string>
  | NumericTypedArray
  | NumberTensorInput
  | StringTensorInput

/**
 * A model's input by tensor name, in the friendly form: numbers, nested arrays, typed arrays,
 * strings or explicit tensors. Entry order is kept on the wire.
 *
 * @example
 * ```ts
 * const input: ModelInput = { num_input1: [1, 2, 3], num_input2: 10, str_input1: ['hello'] }
 * ```
 */
export type ModelInput = Readonly<Record<string, ModelInputValue>>

/**
 * A model's input as ordered entries, for names a plain object would reorder (JS puts
 * integer-like keys such as `"0"` first) or repeat.
 *
 * @example
 * ```ts
 * const input: ModelInputEntries = new Map([['b', 1], ['0', 2]])
 * ```
 */
export type ModelInputEntries =
  | ReadonlyMap<string, ModelInputValue>
  | readonly (readonly [string, ModelInputValue])[]

/**
 * A decoded number tensor. `data` holds the nearest float64 of each element (exact decimal
 * conversion, never `value / 10 ** decimals` in floating point); `raw` keeps the exact
 * fixed-point pairs, which `fixedPointToDecimalString` turns into exact decimal strings.
 */
export type NumberTensor = {
  shape: number[]
  data: number[]
  raw: FixedPointNumber[]
}

/** A decoded string tensor; its shape is `[values.length]` (the chain keeps no shape). */
export type StringTensor = {
  shape: number[]
  data: string[]
}

/**
 * A decoded model output: numbers, strings and JSON values in separate maps, so equal names
 * of different kinds never overwrite one another, and the simulation flag kept.
 *
 * @example
 * ```ts
 * const { modelOutput } = await infer(client, parameters)
 * modelOutput.numbers.num_output1?.data // [11, 12, 13]
 * ```
 */
export type ModelOutput = {
  numbers: Record<string, NumberTensor>
  strings: Record<string, StringTensor>
  jsons: Record<string, unknown>
  /** True when the chain answered with the pre-execution placeholder instead of a result. */
  isSimulationResult: boolean
}

/**
 * The result of an on-chain inference: the transaction, the precompile's inference id and the
 * decoded output.
 */
export type InferenceResult = {
  /** `0x`-prefixed (the reference returned it without `0x`). */
  transactionHash: `0x${string}`
  /** The `inferenceID` of the precompile's `ModelInferenceEvent`, when the receipt has one. */
  inferenceId: string | undefined
  modelOutput: ModelOutput
}
