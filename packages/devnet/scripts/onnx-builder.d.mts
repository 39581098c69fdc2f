// Types of onnx-builder.mjs, for the tests that build small models of their own.

export type OnnxValueInfo = { name: string; type: unknown }
export type OnnxAttribute = { name: string; type: number }
export type OnnxNode = {
  opType: string
  name: string
  input: string[]
  output: string[]
  attribute: OnnxAttribute[]
}
export type OnnxInitializer = {
  name: string
  dims: number[]
  dataType: number
  rawData: Uint8Array
}

export declare const ElementType: Readonly<{
  float: 1
  uint8: 2
  int8: 3
  uint16: 4
  int16: 5
  int32: 6
  int64: 7
  string: 8
  bool: 9
  float16: 10
  double: 11
  uint32: 12
  uint64: 13
}>

export declare function tensorValue(
  name: string,
  elementType: number,
  dims: readonly (number | string)[],
): OnnxValueInfo
export declare function intAttribute(name: string, value: number): OnnxAttribute
export declare function intsAttribute(name: string, values: readonly number[]): OnnxAttribute
export declare function floatAttribute(name: string, value: number): OnnxAttribute
export declare function node(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes?: readonly OnnxAttribute[],
): OnnxNode
export declare function floatInitializer(
  name: string,
  dims: readonly number[],
  values: readonly number[],
): OnnxInitializer
export declare function int64Initializer(
  name: string,
  dims: readonly number[],
  values: readonly (number | bigint)[],
): OnnxInitializer
export declare function encodeModel(model: {
  name: string
  docString?: string
  inputs: readonly OnnxValueInfo[]
  outputs: readonly OnnxValueInfo[]
  nodes: readonly OnnxNode[]
  initializers?: readonly OnnxInitializer[]
  opset?: number
}): Uint8Array
