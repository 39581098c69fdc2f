// Writes small ONNX graphs as protobuf bytes. Every byte depends only on the arguments, so a
// rebuilt model keeps its content id.
import onnxProto from 'onnx-proto'

const { onnx } = onnxProto

/** ONNX element types (`TensorProto.DataType`). */
export const ElementType = Object.freeze({
  float: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  float16: 10,
  double: 11,
  uint32: 12,
  uint64: 13,
})

/** IR version 8 is the one that goes with opset 17 (ONNX 1.12). */
const irVersion = 8
const defaultOpset = 17

/**
 * A graph input or output: a tensor of `elementType` whose dimensions are numbers (fixed) or
 * strings (symbolic, e.g. `'n'`).
 */
export function tensorValue(name, elementType, dims) {
  return {
    name,
    type: {
      tensorType: {
        elemType: elementType,
        shape: {
          dim: dims.map((dim) => (typeof dim === 'string' ? { dimParam: dim } : { dimValue: dim })),
        },
      },
    },
  }
}

/** An attribute holding one integer. */
export function intAttribute(name, value) {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value }
}

/** An attribute holding a list of integers. */
export function intsAttribute(name, values) {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...values] }
}

/** An attribute holding one float. */
export function floatAttribute(name, value) {
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value }
}

/** A node of the default (`ai.onnx`) domain. */
export function node(opType, inputs, outputs, attributes = []) {
  return {
    opType,
    name: `${opType}_${outputs.join('_')}`,
    input: inputs,
    output: outputs,
    attribute: attributes,
  }
}

/** A float32 initializer; `values` are rounded to float32 once, little-endian raw data. */
export function floatInitializer(name, dims, values) {
  const data = new Float32Array(values)
  return {
    name,
    dims,
    dataType: ElementType.float,
    rawData: new Uint8Array(littleEndian(data.buffer, 4)),
  }
}

/** An int64 initializer, little-endian raw data. */
export function int64Initializer(name, dims, values) {
  const data = new BigInt64Array(values.map((value) => BigInt(value)))
  return {
    name,
    dims,
    dataType: ElementType.int64,
    rawData: new Uint8Array(littleEndian(data.buffer, 8)),
  }
}

/**
 * Encodes a model: one graph, the default domain at `opset`.
 *
 * @param {{ name: string, docString?: string, inputs: object[], outputs: object[],
 *   nodes: object[], initializers?: object[], opset?: number }} model
 * @returns {Uint8Array}
 */
export function encodeModel(model) {
  const proto = onnx.ModelProto.create({
    irVersion,
    opsetImport: [{ domain: '', version: model.opset ?? defaultOpset }],
    producerName: 'opengradient-devnet',
    docString: model.docString ?? '',
    graph: {
      name: model.name,
      node: model.nodes,
      initializer: model.initializers ?? [],
      input: model.inputs,
      output: model.outputs,
    },
  })
  const error = onnx.ModelProto.verify(proto)
  if (error) throw new Error(`Invalid ONNX model "${model.name}": ${error}`)
  return onnx.ModelProto.encode(proto).finish()
}

// ONNX raw data is little-endian whatever the host is.
function littleEndian(buffer, width) {
  const bytes = new Uint8Array(buffer.slice(0))
  const probe = new Uint8Array(new Uint16Array([1]).buffer)
  if (probe[0] === 1) return bytes
  for (let offset = 0; offset < bytes.length; offset += width) {
    bytes.subarray(offset, offset + width).reverse()
  }
  return bytes
}
