// JSON text exactly as Python's `json.dumps` writes it (llm.md §D5), and a parser that keeps the
// difference between `2` and `2.0` that Python's output depends on.

/**
 * A JSON number written with `.`, `e` or `E`: Python reads it as a float and prints it back
 * with a fractional part (`2.0`), where JavaScript would print `2`.
 */
export class JsonFloat {
  readonly value: number
  constructor(value: number) {
    this.value = value
  }
}

/**
 * A JSON value as {@link parseJsonExact} returns it: integers as `number` (or `bigint` beyond
 * 2^53), floats as {@link JsonFloat}, objects with a null prototype.
 */
export type JsonExactValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | JsonFloat
  | JsonExactValue[]
  | { [key: string]: JsonExactValue }

export type PythonJsonDumpsOptions = {
  /** Sort object keys by Unicode code point, recursively (`sort_keys=True`). @default false */
  sortKeys?: boolean | undefined
}

/**
 * Serializes a value as Python's `json.dumps(value, sort_keys=…)` does with its other defaults:
 * `", "` and `": "` separators, every character outside printable ASCII escaped as `\uXXXX`
 * (lower-case hex, surrogate pairs above U+FFFF), floats in Python's `repr`.
 *
 * Integral `number`s and `bigint`s print as integers, other `number`s and {@link JsonFloat}s as
 * floats. `undefined` members are left out, as `JSON.stringify` does.
 *
 * @example
 * ```ts
 * pythonJsonDumps({ b: 'é', a: [1, new JsonFloat(2)] }, { sortKeys: true })
 * // '{"a": [1, 2.0], "b": "\\u00e9"}'
 * ```
 */
export function pythonJsonDumps(value: unknown, options: PythonJsonDumpsOptions = {}): string {
  return dump(value, options.sortKeys === true)
}

function dump(value: unknown, sortKeys: boolean): string {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'string':
      return quote(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      return value.toString()
    case 'number':
      return Number.isInteger(value) ? BigInt(value).toString() : pythonFloat(value)
    case 'object': {
      if (value instanceof JsonFloat) return pythonFloat(value.value)
      if (Array.isArray(value)) return `[${value.map((item) => dump(item, sortKeys)).join(', ')}]`
      const keys = Object.keys(value).filter(
        (key) => (value as Record<string, unknown>)[key] !== undefined,
      )
      if (sortKeys) keys.sort(compareCodePoints)
      return `{${keys
        .map((key) => `${quote(key)}: ${dump((value as Record<string, unknown>)[key], sortKeys)}`)
        .join(', ')}}`
    }
    default:
      return 'null'
  }
}

const shortEscapes: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
}

function quote(text: string): string {
  // One code unit at a time is exactly Python's ensure_ascii: astral characters come out as
  // their two surrogate escapes.
  return `"${text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what gets escaped
    /["\\\u0000-\u001f\u007f-\uffff]/g,
    (character) =>
      shortEscapes[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )}"`
}

/**
 * Python's `repr(float)`: the shortest round-trip digits, fixed notation with at least one
 * fractional digit for decimal exponents in [-4, 16), scientific with a signed two-digit
 * exponent otherwise.
 */
function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Number.POSITIVE_INFINITY) return 'Infinity'
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const sign = value < 0 ? '-' : ''
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e')
  const digits = mantissa.replace('.', '')
  const exponent = Number(exponentText)
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
    const integer = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
    const fraction = digits.slice(exponent + 1)
    return `${sign}${integer}.${fraction || '0'}`
  }
  const scientificMantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
  const exponentSign = exponent < 0 ? '-' : '+'
  return `${sign}${scientificMantissa}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`
}

/**
 * Orders strings by Unicode code point (UTF-16 order misplaces astral characters).
 *
 * @example
 * ```ts
 * ['😀', '\ue000'].sort(compareCodePoints) // ['\ue000', '😀']
 * ```
 */
export function compareCodePoints(left: string, right: string): number {
  const length = Math.min(left.length, right.length)
  for (let index = 0; index < length; index++) {
    const a = left.charCodeAt(index)
    const b = right.charCodeAt(index)
    if (a === b) continue
    // Both are surrogates or both are not: UTF-16 order is code point order.
    const aSurrogate = a >= 0xd800 && a <= 0xdfff
    const bSurrogate = b >= 0xd800 && b <= 0xdfff
    if (aSurrogate === bSurrogate) return a - b
    return aSurrogate ? 1 : -1
  }
  return left.length - right.length
}

/**
 * Parses JSON text keeping what `JSON.parse` loses and Python keeps: whether a number was
 * written as a float (`2.0` becomes a {@link JsonFloat}), and integers beyond 2^53 exactly (as
 * `bigint`). Objects have a null prototype, so a `"__proto__"` key is an ordinary key.
 *
 * Throws a `SyntaxError` for text that is not JSON.
 *
 * @example
 * ```ts
 * pythonJsonDumps(parseJsonExact('{"t": 0.0, "n": 1}')) // '{"t": 0.0, "n": 1}'
 * ```
 */
export function parseJsonExact(text: string): JsonExactValue {
  let position = 0

  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${position} of the JSON text.`)
  }
  const skipWhitespace = () => {
    while (position < text.length) {
      const code = text.charCodeAt(position)
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break
      position++
    }
  }

  const parseValue = (): JsonExactValue => {
    skipWhitespace()
    const character = text[position]
    if (character === '{') return parseObject()
    if (character === '[') return parseArray()
    if (character === '"') return parseString()
    if (character === '-' || (character !== undefined && character >= '0' && character <= '9'))
      return parseNumber()
    for (const [literal, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(literal, position)) {
        position += literal.length
        return value
      }
    }
    return fail('Unexpected token')
  }

  const parseObject = () => {
    const result: { [key: string]: JsonExactValue } = Object.create(null)
    position++
    skipWhitespace()
    if (text[position] === '}') {
      position++
      return result
    }
    for (;;) {
      skipWhitespace()
      if (text[position] !== '"') fail('Expected a key')
      const key = parseString()
      skipWhitespace()
      if (text[position] !== ':') fail('Expected ":"')
      position++
      result[key] = parseValue()
      skipWhitespace()
      const next = text[position++]
      if (next === '}') return result
      if (next !== ',') fail('Expected "," or "}"')
    }
  }

  const parseArray = () => {
    const result: JsonExactValue[] = []
    position++
    skipWhitespace()
    if (text[position] === ']') {
      position++
      return result
    }
    for (;;) {
      result.push(parseValue())
      skipWhitespace()
      const next = text[position++]
      if (next === ']') return result
      if (next !== ',') fail('Expected "," or "]"')
    }
  }

  const parseString = (): string => {
    const start = position
    position++
    for (;;) {
      const code = text.charCodeAt(position)
      if (Number.isNaN(code)) fail('Unterminated string')
      if (code === 0x22) break
      if (code === 0x5c) position++
      else if (code < 0x20) fail('Control character in string')
      position++
    }
    position++
    return JSON.parse(text.slice(start, position)) as string
  }

  const parseNumber = (): number | bigint | JsonFloat => {
    const match = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y
    match.lastIndex = position
    const found = match.exec(text)
    if (!found) return fail('Invalid number')
    position += found[0].length
    if (found[1] !== undefined || found[2] !== undefined) return new JsonFloat(Number(found[0]))
    const integer = Number(found[0])
    if (!Number.isSafeInteger(integer)) return BigInt(found[0])
    return integer === 0 ? 0 : integer
  }

  const value = parseValue()
  skipWhitespace()
  if (position < text.length) fail('Unexpected text after the JSON value')
  return value
}
