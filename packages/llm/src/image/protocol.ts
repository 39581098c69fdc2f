// The image service's protobuf messages (proto3 package `inference`), encoded by hand: the few
// fields below are the whole protocol, so no schema compiler or proto loader is needed.

/** `inference.InferenceService`: submit, poll, fetch. */
export const inferenceServicePaths = {
  runInferenceAsync: '/inference.InferenceService/RunInferenceAsync',
  getInferenceStatus: '/inference.InferenceService/GetInferenceStatus',
  getInferenceResult: '/inference.InferenceService/GetInferenceResult',
} as const

/** `InferenceStatus.Status`. */
export const InferenceStatusCode = {
  unspecified: 0,
  inProgress: 1,
  completed: 2,
  error: 3,
} as const

/** `InferenceRequest { string tx = 1; ImageGenerationRequest image_generation = 6; }`. */
export type InferenceRequest = {
  tx: string
  imageGeneration: {
    model: string
    prompt: string
    /** proto3 `optional int32`: absent means the server chooses. */
    height?: number | undefined
    width?: number | undefined
  }
}

/** `InferenceTxId { string id = 1; }`. */
export type InferenceTxId = { id: string }

/** `InferenceStatus { Status status = 1; optional string error_message = 2; }`. */
export type InferenceStatus = { status: number; errorMessage?: string | undefined }

/**
 * `InferenceResult { ImageGenerationResponse image_generation_result = 5; optional string
 * public_key = 7; optional string signature = 8; }` with `ImageGenerationResponse { bytes
 * image_data = 1; }` flattened into `imageData`.
 */
export type InferenceResult = {
  imageData: Uint8Array
  publicKey?: string | undefined
  signature?: string | undefined
}

const textEncoder = new TextEncoder()
const textDecoder = new TextDecoder('utf-8', { fatal: true })

function varint(value: number): number[] {
  // int32 fields are sign-extended to 64 bits on the wire; only non-negative values are sent.
  const bytes: number[] = []
  let rest = value
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  bytes.push(rest)
  return bytes
}

class Writer {
  readonly chunks: Uint8Array[] = []
  varintField(field: number, value: number): this {
    this.chunks.push(Uint8Array.from([...varint(field * 8), ...varint(value)]))
    return this
  }
  bytesField(field: number, value: Uint8Array): this {
    this.chunks.push(Uint8Array.from([...varint(field * 8 + 2), ...varint(value.length)]), value)
    return this
  }
  stringField(field: number, value: string): this {
    return this.bytesField(field, textEncoder.encode(value))
  }
  finish(): Uint8Array {
    const length = this.chunks.reduce((total, chunk) => total + chunk.length, 0)
    const out = new Uint8Array(length)
    let offset = 0
    for (const chunk of this.chunks) {
      out.set(chunk, offset)
      offset += chunk.length
    }
    return out
  }
}

type Field = { number: number; varint?: number; bytes?: Uint8Array }

/** Reads the fields of one message; unknown fields of any scalar wire type are skipped. */
function readFields(buffer: Uint8Array): Field[] {
  const fields: Field[] = []
  let offset = 0
  const readVarint = (): number => {
    let result = 0
    let scale = 1
    for (let index = 0; index < 10; index++) {
      const byte = buffer[offset++]
      if (byte === undefined) throw new Error('Truncated protobuf varint.')
      result += (byte & 0x7f) * scale
      if (byte < 0x80) return result
      scale *= 0x80
    }
    throw new Error('Malformed protobuf varint.')
  }
  while (offset < buffer.length) {
    const key = readVarint()
    const number = Math.floor(key / 8)
    const wireType = key % 8
    if (wireType === 0) fields.push({ number, varint: readVarint() })
    else if (wireType === 2) {
      const length = readVarint()
      if (offset + length > buffer.length) throw new Error('Truncated protobuf field.')
      fields.push({ number, bytes: buffer.subarray(offset, offset + length) })
      offset += length
    } else if (wireType === 1) offset += 8
    else if (wireType === 5) offset += 4
    else throw new Error(`Unsupported protobuf wire type ${wireType}.`)
    if (offset > buffer.length) throw new Error('Truncated protobuf field.')
  }
  return fields
}

function lastField(fields: Field[], number: number): Field | undefined {
  return fields.findLast((field) => field.number === number)
}

function stringOf(field: Field | undefined): string | undefined {
  return field?.bytes ? textDecoder.decode(field.bytes) : undefined
}

// A varint read as a JS number cannot exceed 2^64; int32 values come sign-extended.
function int32Of(value: number): number {
  return value >= 2 ** 63 ? value - 2 ** 64 : value
}

/** Encodes an `InferenceRequest`. */
export function encodeInferenceRequest(request: InferenceRequest): Uint8Array {
  const image = new Writer()
    .stringField(1, request.imageGeneration.model)
    .stringField(2, request.imageGeneration.prompt)
  if (request.imageGeneration.height !== undefined)
    image.varintField(3, request.imageGeneration.height)
  if (request.imageGeneration.width !== undefined)
    image.varintField(4, request.imageGeneration.width)
  return new Writer().stringField(1, request.tx).bytesField(6, image.finish()).finish()
}

/** Decodes an `InferenceRequest`; absent optional sizes stay `undefined`. */
export function decodeInferenceRequest(buffer: Uint8Array): InferenceRequest {
  const fields = readFields(buffer)
  const image = readFields(lastField(fields, 6)?.bytes ?? new Uint8Array())
  const height = lastField(image, 3)?.varint
  const width = lastField(image, 4)?.varint
  return {
    tx: stringOf(lastField(fields, 1)) ?? '',
    imageGeneration: {
      model: stringOf(lastField(image, 1)) ?? '',
      prompt: stringOf(lastField(image, 2)) ?? '',
      ...(height !== undefined ? { height: int32Of(height) } : {}),
      ...(width !== undefined ? { width: int32Of(width) } : {}),
    },
  }
}

/** Encodes an `InferenceTxId`. */
export function encodeInferenceTxId(message: InferenceTxId): Uint8Array {
  return new Writer().stringField(1, message.id).finish()
}

/** Decodes an `InferenceTxId`. */
export function decodeInferenceTxId(buffer: Uint8Array): InferenceTxId {
  return { id: stringOf(lastField(readFields(buffer), 1)) ?? '' }
}

/** Encodes an `InferenceStatus`. */
export function encodeInferenceStatus(message: InferenceStatus): Uint8Array {
  const writer = new Writer()
  if (message.status !== 0) writer.varintField(1, message.status)
  if (message.errorMessage !== undefined) writer.stringField(2, message.errorMessage)
  return writer.finish()
}

/** Decodes an `InferenceStatus`. */
export function decodeInferenceStatus(buffer: Uint8Array): InferenceStatus {
  const fields = readFields(buffer)
  const errorMessage = stringOf(lastField(fields, 2))
  return {
    status: int32Of(lastField(fields, 1)?.varint ?? 0),
    ...(errorMessage !== undefined ? { errorMessage } : {}),
  }
}

/** Encodes an `InferenceResult`. */
export function encodeInferenceResult(message: InferenceResult): Uint8Array {
  const writer = new Writer().bytesField(5, new Writer().bytesField(1, message.imageData).finish())
  if (message.publicKey !== undefined) writer.stringField(7, message.publicKey)
  if (message.signature !== undefined) writer.stringField(8, message.signature)
  return writer.finish()
}

/** Decodes an `InferenceResult`. */
export function decodeInferenceResult(buffer: Uint8Array): InferenceResult {
  const fields = readFields(buffer)
  const response = readFields(lastField(fields, 5)?.bytes ?? new Uint8Array())
  const publicKey = stringOf(lastField(fields, 7))
  const signature = stringOf(lastField(fields, 8))
  return {
    imageData: Uint8Array.from(lastField(response, 1)?.bytes ?? new Uint8Array()),
    ...(publicKey !== undefined ? { publicKey } : {}),
    ...(signature !== undefined ? { signature } : {}),
  }
}

type UnaryMethod<Request, Response> = {
  path: string
  requestStream: false
  responseStream: false
  requestSerialize(value: Request): Buffer
  requestDeserialize(bytes: Buffer): Request
  responseSerialize(value: Response): Buffer
  responseDeserialize(bytes: Buffer): Response
}

function unaryMethod<Request, Response>(
  path: string,
  encodeRequest: (value: Request) => Uint8Array,
  decodeRequest: (bytes: Uint8Array) => Request,
  encodeResponse: (value: Response) => Uint8Array,
  decodeResponse: (bytes: Uint8Array) => Response,
): UnaryMethod<Request, Response> {
  const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: (value) => toBuffer(encodeRequest(value)),
    requestDeserialize: (bytes) => decodeRequest(bytes),
    responseSerialize: (value) => toBuffer(encodeResponse(value)),
    responseDeserialize: (bytes) => decodeResponse(bytes),
  }
}

/**
 * The service in the shape `@grpc/grpc-js` takes for `Server.addService` and
 * `makeGenericClientConstructor`, with this module's codecs as (de)serializers.
 *
 * @example
 * ```ts
 * import * as grpc from '@grpc/grpc-js'
 * import { inferenceServiceDefinition } from '@opengradient/llm/image'
 *
 * const server = new grpc.Server()
 * server.addService(inferenceServiceDefinition, { RunInferenceAsync, GetInferenceStatus, GetInferenceResult })
 * ```
 */
export const inferenceServiceDefinition = {
  RunInferenceAsync: unaryMethod<InferenceRequest, InferenceTxId>(
    inferenceServicePaths.runInferenceAsync,
    encodeInferenceRequest,
    decodeInferenceRequest,
    encodeInferenceTxId,
    decodeInferenceTxId,
  ),
  GetInferenceStatus: unaryMethod<InferenceTxId, InferenceStatus>(
    inferenceServicePaths.getInferenceStatus,
    encodeInferenceTxId,
    decodeInferenceTxId,
    encodeInferenceStatus,
    decodeInferenceStatus,
  ),
  GetInferenceResult: unaryMethod<InferenceTxId, InferenceResult>(
    inferenceServicePaths.getInferenceResult,
    encodeInferenceTxId,
    decodeInferenceTxId,
    encodeInferenceResult,
    decodeInferenceResult,
  ),
} as const
