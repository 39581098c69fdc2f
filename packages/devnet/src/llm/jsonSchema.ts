// The part of JSON Schema that structured-output requests use: checking a reply against a
// schema, and building a value that satisfies one.

type Schema = Record<string, unknown>

/** One way a value fails a schema, with the JSON path where it does. */
export type SchemaViolation = { path: string; message: string }

/**
 * Checks a value against a JSON Schema: `type`, `enum`, `const`, `properties`, `required`,
 * `additionalProperties`, `items`, `prefixItems`, `minItems`/`maxItems`,
 * `minLength`/`maxLength`, `pattern`, `minimum`/`maximum` (and exclusive), `multipleOf`,
 * `anyOf`/`oneOf`/`allOf`/`not`, and local `$ref`s (`#/$defs/…`, `#/definitions/…`). Other
 * keywords (formats, annotations) are accepted without checks.
 *
 * @example
 * ```ts
 * validateJsonSchema({ type: 'object', required: ['name'] }, {}) // [{ path: '$', message: 'missing required property "name"' }]
 * ```
 */
export function validateJsonSchema(schema: unknown, value: unknown): SchemaViolation[] {
  const violations: SchemaViolation[] = []
  check(schema, value, '$', schema, violations)
  return violations
}

function resolve(schema: unknown, root: unknown): unknown {
  let current = schema
  for (
    let depth = 0;
    depth < 32 && isSchema(current) && typeof current.$ref === 'string';
    depth++
  ) {
    const reference = current.$ref
    if (!reference.startsWith('#')) return {}
    let target: unknown = root
    for (const part of reference.slice(1).split('/').filter(Boolean)) {
      const key = decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))
      target = isSchema(target) ? target[key] : undefined
    }
    current = target ?? {}
  }
  return current
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value)
  return actual === type || (type === 'number' && actual === 'integer')
}

function equal(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right)
}

function check(
  schemaOrRef: unknown,
  value: unknown,
  path: string,
  root: unknown,
  out: SchemaViolation[],
): void {
  const schema = resolve(schemaOrRef, root)
  if (schema === false) {
    out.push({ path, message: 'no value is allowed here' })
    return
  }
  if (!isSchema(schema)) return
  const fail = (message: string) => out.push({ path, message })

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type]
    if (!types.some((type) => typeof type === 'string' && matchesType(value, type))) {
      fail(`expected ${types.join(' or ')}, got ${typeOf(value)}`)
      return
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((item) => equal(item, value))) {
    fail(`must be one of ${JSON.stringify(schema.enum)}`)
  }
  if ('const' in schema && !equal(schema.const, value)) {
    fail(`must be ${JSON.stringify(schema.const)}`)
  }
  if (typeof value === 'string') {
    const length = [...value].length
    if (typeof schema.minLength === 'number' && length < schema.minLength)
      fail(`must have at least ${schema.minLength} characters`)
    if (typeof schema.maxLength === 'number' && length > schema.maxLength)
      fail(`must have at most ${schema.maxLength} characters`)
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      fail(`must match ${schema.pattern}`)
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      fail(`must be at least ${schema.minimum}`)
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      fail(`must be at most ${schema.maximum}`)
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum)
      fail(`must be greater than ${schema.exclusiveMinimum}`)
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum)
      fail(`must be less than ${schema.exclusiveMaximum}`)
    if (
      typeof schema.multipleOf === 'number' &&
      schema.multipleOf > 0 &&
      !Number.isInteger(value / schema.multipleOf)
    )
      fail(`must be a multiple of ${schema.multipleOf}`)
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      fail(`must have at least ${schema.minItems} items`)
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      fail(`must have at most ${schema.maxItems} items`)
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : []
    value.forEach((item, index) => {
      const itemSchema = index < prefix.length ? prefix[index] : schema.items
      if (itemSchema !== undefined) check(itemSchema, item, `${path}[${index}]`, root, out)
    })
  }
  if (isSchema(value)) {
    const properties = isSchema(schema.properties) ? schema.properties : {}
    for (const key of Array.isArray(schema.required) ? schema.required : []) {
      if (typeof key === 'string' && !(key in value)) fail(`missing required property "${key}"`)
    }
    for (const [key, item] of Object.entries(value)) {
      const childPath = `${path}.${key}`
      if (key in properties) check(properties[key], item, childPath, root, out)
      else if (schema.additionalProperties === false) {
        out.push({ path: childPath, message: 'is not an allowed property' })
      } else if (isSchema(schema.additionalProperties)) {
        check(schema.additionalProperties, item, childPath, root, out)
      }
    }
  }
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) check(part, value, path, root, out)
  }
  if (Array.isArray(schema.anyOf)) {
    const passing = schema.anyOf.filter((part) => validateAgainst(part, value, root))
    if (passing.length === 0) fail('matches none of "anyOf"')
  }
  if (Array.isArray(schema.oneOf)) {
    const passing = schema.oneOf.filter((part) => validateAgainst(part, value, root))
    if (passing.length !== 1) fail(`matches ${passing.length} of "oneOf", expected exactly 1`)
  }
  if (schema.not !== undefined && validateAgainst(schema.not, value, root)) {
    fail('matches the "not" schema')
  }
}

function validateAgainst(schema: unknown, value: unknown, root: unknown): boolean {
  const out: SchemaViolation[] = []
  check(schema, value, '$', root, out)
  return out.length === 0
}

/**
 * Builds a value that satisfies a schema, asking `text` for every string (with the property
 * name it fills, when there is one). Chooses the first `enum` / `const` / `anyOf` option,
 * includes every declared property, and gives arrays their minimum length (at least one item).
 *
 * @example
 * ```ts
 * await instanceOfSchema({ type: 'object', properties: { name: { type: 'string' } } }, async () => 'Ada')
 * // { name: 'Ada' }
 * ```
 */
export async function instanceOfSchema(
  schema: unknown,
  text: (name: string | undefined) => Promise<string>,
): Promise<unknown> {
  const build = async (schemaOrRef: unknown, name: string | undefined, depth: number) => {
    const node = resolve(schemaOrRef, schema)
    if (!isSchema(node) || depth > 12) return null
    if ('const' in node) return node.const
    if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0]
    for (const key of ['anyOf', 'oneOf'] as const) {
      const options = node[key]
      if (Array.isArray(options) && options.length > 0) {
        const nonNull = options.find((option) => !(isSchema(option) && option.type === 'null'))
        return build(nonNull ?? options[0], name, depth + 1)
      }
    }
    if (Array.isArray(node.allOf) && node.allOf.length > 0) {
      const merged: Schema = {}
      for (const part of node.allOf) Object.assign(merged, resolve(part, schema))
      return build(merged, name, depth + 1)
    }
    const types = Array.isArray(node.type) ? node.type : [node.type]
    const type =
      types.find((candidate) => candidate !== 'null') ??
      (isSchema(node.properties) ? 'object' : node.items !== undefined ? 'array' : 'string')
    switch (type) {
      case 'object': {
        const result: Record<string, unknown> = {}
        const properties = isSchema(node.properties) ? node.properties : {}
        for (const [key, property] of Object.entries(properties)) {
          result[key] = await build(property, key, depth + 1)
        }
        return result
      }
      case 'array': {
        const count = Math.max(1, typeof node.minItems === 'number' ? node.minItems : 1)
        const items: unknown[] = []
        for (let index = 0; index < count; index++) {
          const prefix = Array.isArray(node.prefixItems) ? node.prefixItems[index] : undefined
          items.push(await build(prefix ?? node.items ?? {}, name, depth + 1))
        }
        return items
      }
      case 'integer':
      case 'number': {
        const minimum =
          typeof node.minimum === 'number'
            ? node.minimum
            : typeof node.exclusiveMinimum === 'number'
              ? node.exclusiveMinimum + 1
              : 0
        const value = Math.max(
          minimum,
          Math.min(42, typeof node.maximum === 'number' ? node.maximum : 42),
        )
        return type === 'integer' ? Math.ceil(value) : value
      }
      case 'boolean':
        return true
      case 'null':
        return null
      default: {
        let value = await text(name)
        if (typeof node.maxLength === 'number') value = [...value].slice(0, node.maxLength).join('')
        if (typeof node.minLength === 'number' && [...value].length < node.minLength) {
          value = value.padEnd(node.minLength, '.')
        }
        return value
      }
    }
  }
  return build(schema, undefined, 0)
}
