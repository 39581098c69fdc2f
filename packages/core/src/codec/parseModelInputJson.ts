import { InvalidInputError, type InvalidInputErrorType } from '../errors/input.js'
import type { ModelInput, ModelInputValue, NumberTensorInput } from '../types/tensors.js'
import { type DecimalParts, parseDecimal } from './decimal.js'

export type ParseModelInputJsonReturnType = ModelInput

export type ParseModelInputJsonErrorType = InvalidInputErrorType

/**
 * Parses a model input written as JSON, such as the CLI's `--input '{"x": [0.1, 2.5]}'`, without
 * losing digits: a JSON number that a JS number cannot reproduce exactly (more significant
 * digits than a float64 keeps, an integer beyond 2^53, an exponent out of range) is kept as
 * decimal text in a `{ type: 'number', values }` tensor, which {@link encodeModelInput} encodes
 * exactly. Every other number stays a `number`.
 *
 * The top level must be an object of tensors by name. Repeated keys anywhere are an error
 * (`JSON.parse` silently keeps the last). As in any JS object, integer-like names (`"0"`) come
 * first. Tensor values are not checked here; `encodeModelInput` does that.
 *
 * @example
 * ```ts
 * parseModelInputJson('{"x": [0.1, 2.5], "id": 12345678901234567890}')
 * // { x: [0.1, 2.5], id: { type: 'number', values: ['12345678901234567890'] } }
 * ```
 */
export function parseModelInputJson(text: string): ParseModelInputJsonReturnType {
  const root = new JsonReader(text).readDocument()
  if (!isObject(root)) {
    throw new InvalidInputError('The model input JSON must be an object of tensors by name.', {
      details: `Got ${describeJson(root)}.`,
    })
  }
  const input: Record<string, ModelInputValue> = {}
  for (const [name, value] of Object.entries(root)) define(input, name, toTensor(value))
  return input
}

/** A JSON number that a JS number cannot hold exactly, kept as its text. */
class ExactNumber {
  constructor(readonly text: string) {}
}

type JsonValue =
  | null
  | boolean
  | number
  | string
  | ExactNumber
  | JsonValue[]
  | { [key: string]: JsonValue }

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof ExactNumber)
  )
}

/** Turns parsed JSON into a tensor input, moving exact numbers into number tensors. */
function toTensor(value: JsonValue): ModelInputValue {
  if (value instanceof ExactNumber) return { type: 'number', values: [value.text] }
  if (Array.isArray(value)) {
    if (!containsExactNumber(value)) return value as ModelInputValue
    // All-numeric arrays keep their exact numbers as decimal text; any other array is left for
    // encodeModelInput to reject, with the exact numbers as plain numbers.
    return isNumeric(value)
      ? { type: 'number', values: exactAsText(value) as NumberTensorInput['values'] }
      : (toPlain(value) as ModelInputValue)
  }
  if (isObject(value) && value.type === 'number' && value.values !== undefined) {
    const tensor: Record<string, unknown> = {}
    for (const [key, entry] of Object.entries(value)) {
      define(tensor, key, key === 'values' ? exactAsText(entry) : toPlain(entry))
    }
    return tensor as ModelInputValue
  }
  return toPlain(value) as ModelInputValue
}

function containsExactNumber(value: JsonValue): boolean {
  if (value instanceof ExactNumber) return true
  if (Array.isArray(value)) return value.some(containsExactNumber)
  return false
}

function isNumeric(value: JsonValue): boolean {
  if (Array.isArray(value)) return value.every(isNumeric)
  return typeof value === 'number' || value instanceof ExactNumber
}

function exactAsText(value: JsonValue): unknown {
  if (value instanceof ExactNumber) return value.text
  if (Array.isArray(value)) return value.map(exactAsText)
  return toPlain(value)
}

function toPlain(value: JsonValue): unknown {
  if (value instanceof ExactNumber) return Number(value.text)
  if (Array.isArray(value)) return value.map(toPlain)
  if (isObject(value)) {
    const copy: Record<string, unknown> = {}
    for (const [key, entry] of Object.entries(value)) define(copy, key, toPlain(entry))
    return copy
  }
  return value
}

// defineProperty: a key named "__proto__" must stay a plain entry.
function define(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
}

function describeJson(value: JsonValue): string {
  if (Array.isArray(value)) return 'an array'
  if (value instanceof ExactNumber) return value.text
  return JSON.stringify(value)
}

// Deep enough for any tensor, shallow enough to stay far from the engine's stack limit.
const maxDepth = 512

/** A strict RFC 8259 reader that keeps the text of numbers a float64 would change. */
class JsonReader {
  private position = 0

  constructor(private readonly text: string) {}

  readDocument(): JsonValue {
    const value = this.readValue(0)
    this.skipWhitespace()
    if (this.position < this.text.length) this.fail('unexpected text after the JSON value')
    return value
  }

  private readValue(depth: number): JsonValue {
    if (depth > maxDepth) this.fail(`nesting deeper than ${maxDepth} levels`)
    this.skipWhitespace()
    const code = this.text.charCodeAt(this.position)
    switch (code) {
      case 123: // {
        return this.readObject(depth)
      case 91: // [
        return this.readArray(depth)
      case 34: // "
        return this.readString()
      case 116: // t
        return this.readLiteral('true', true)
      case 102: // f
        return this.readLiteral('false', false)
      case 110: // n
        return this.readLiteral('null', null)
      default:
        if (code === 45 || (code >= 48 && code <= 57)) return this.readNumber()
        return this.fail(
          this.position >= this.text.length ? 'unexpected end of input' : 'unexpected character',
        )
    }
  }

  private readObject(depth: number): JsonValue {
    this.position++
    const result: { [key: string]: JsonValue } = {}
    this.skipWhitespace()
    if (this.text.charCodeAt(this.position) === 125) {
      this.position++
      return result
    }
    for (;;) {
      this.skipWhitespace()
      if (this.text.charCodeAt(this.position) !== 34) this.fail('expected a string key')
      const keyPosition = this.position
      const key = this.readString()
      if (Object.hasOwn(result, key)) {
        this.position = keyPosition
        this.fail(`the key ${JSON.stringify(key)} appears more than once`)
      }
      this.skipWhitespace()
      this.expect(58, '":"')
      define(result, key, this.readValue(depth + 1))
      this.skipWhitespace()
      const code = this.text.charCodeAt(this.position++)
      if (code === 125) return result
      if (code !== 44) {
        this.position--
        this.fail('expected "," or "}"')
      }
    }
  }

  private readArray(depth: number): JsonValue {
    this.position++
    const result: JsonValue[] = []
    this.skipWhitespace()
    if (this.text.charCodeAt(this.position) === 93) {
      this.position++
      return result
    }
    for (;;) {
      result.push(this.readValue(depth + 1))
      this.skipWhitespace()
      const code = this.text.charCodeAt(this.position++)
      if (code === 93) return result
      if (code !== 44) {
        this.position--
        this.fail('expected "," or "]"')
      }
    }
  }

  private readString(): string {
    const text = this.text
    const start = this.position
    let position = start + 1
    let result = ''
    let chunkStart = position
    for (;;) {
      if (position >= text.length) {
        this.position = start
        this.fail('unterminated string')
      }
      const code = text.charCodeAt(position)
      if (code === 34) break
      if (code < 32) {
        this.position = position
        this.fail('control character in a string')
      }
      if (code !== 92) {
        position++
        continue
      }
      result += text.slice(chunkStart, position)
      const escaped = text.charCodeAt(position + 1)
      const simple = simpleEscapes[escaped]
      if (simple !== undefined) {
        result += simple
        position += 2
      } else if (escaped === 117) {
        const hex = text.slice(position + 2, position + 6)
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          this.position = position
          this.fail('invalid \\u escape')
        }
        result += String.fromCharCode(Number.parseInt(hex, 16))
        position += 6
      } else {
        this.position = position
        this.fail('invalid escape')
      }
      chunkStart = position
    }
    this.position = position + 1
    return result + text.slice(chunkStart, position)
  }

  private readNumber(): number | ExactNumber {
    const text = this.text
    const start = this.position
    let position = start
    if (text.charCodeAt(position) === 45) position++
    const integerStart = position
    while (isDigit(text.charCodeAt(position))) position++
    const integerLength = position - integerStart
    if (integerLength === 0 || (integerLength > 1 && text.charCodeAt(integerStart) === 48)) {
      this.position = integerStart
      this.fail('invalid number')
    }
    if (text.charCodeAt(position) === 46) {
      position++
      const fractionStart = position
      while (isDigit(text.charCodeAt(position))) position++
      if (position === fractionStart) {
        this.position = position
        this.fail('invalid number')
      }
    }
    const exponentMark = text.charCodeAt(position)
    if (exponentMark === 101 || exponentMark === 69) {
      position++
      const sign = text.charCodeAt(position)
      if (sign === 43 || sign === 45) position++
      const exponentStart = position
      while (isDigit(text.charCodeAt(position))) position++
      if (position === exponentStart) {
        this.position = position
        this.fail('invalid number')
      }
    }
    this.position = position
    const literal = text.slice(start, position)
    const number = Number(literal)
    return isExact(literal, number) ? number : new ExactNumber(literal)
  }

  private readLiteral<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.position)) this.fail('unexpected character')
    this.position += word.length
    return value
  }

  private expect(code: number, shown: string): void {
    if (this.text.charCodeAt(this.position) !== code) this.fail(`expected ${shown}`)
    this.position++
  }

  private skipWhitespace(): void {
    const text = this.text
    let position = this.position
    for (;;) {
      const code = text.charCodeAt(position)
      if (code !== 32 && code !== 10 && code !== 13 && code !== 9) break
      position++
    }
    this.position = position
  }

  private fail(reason: string): never {
    const found = this.text.slice(this.position, this.position + 12)
    throw new InvalidInputError(`The model input is not valid JSON: ${reason}.`, {
      metaMessages: [
        `Position: ${this.position}`,
        ...(found ? [`Near: ${found.replace(/\s+/g, ' ')}`] : []),
      ],
    })
  }
}

const simpleEscapes: Record<number, string> = {
  34: '"',
  92: '\\',
  47: '/',
  98: '\b',
  102: '\f',
  110: '\n',
  114: '\r',
  116: '\t',
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/**
 * Whether a JS number reproduces a JSON number exactly: the number's shortest decimal (what
 * `encodeFixedPoint` encodes) has the same digits and exponent as the text.
 */
function isExact(literal: string, number: number): boolean {
  if (!Number.isFinite(number)) return false
  const written = parseDecimal(literal)!
  const reproduced = parseDecimal(String(number))!
  return sameValue(written, reproduced)
}

function sameValue(left: DecimalParts, right: DecimalParts): boolean {
  if (left.digits === '' || right.digits === '') return left.digits === right.digits
  return (
    left.negative === right.negative &&
    left.digits === right.digits &&
    left.exponent === right.exponent
  )
}

/**
 * Parses JSON text like `JSON.parse`, except that a number a float64 would change (a 28-digit
 * fixed-point value, an integer beyond 2^53) is returned as its exact decimal text. Used for
 * answers of the node REST API, whose big integers may be JSON numbers.
 *
 * @example
 * ```ts
 * parseJsonLosslessly('{"value": 3774157376028597354888916016, "decimals": 31}')
 * // { value: '3774157376028597354888916016', decimals: 31 }
 * ```
 */
export function parseJsonLosslessly(text: string): unknown {
  return toLosslessPlain(new JsonReader(text).readDocument())
}

function toLosslessPlain(value: JsonValue): unknown {
  if (value instanceof ExactNumber) return value.text
  if (Array.isArray(value)) return value.map(toLosslessPlain)
  if (isObject(value)) {
    const copy: Record<string, unknown> = {}
    for (const [key, entry] of Object.entries(value)) define(copy, key, toLosslessPlain(entry))
    return copy
  }
  return value
}
