import { describe, expect, test } from 'vitest'
import { instanceOfSchema, validateJsonSchema } from './jsonSchema.js'

const person = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 2 },
    age: { type: 'integer', minimum: 0 },
    email: { anyOf: [{ type: 'string', pattern: '@' }, { type: 'null' }] },
    role: { enum: ['admin', 'user'] },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
    address: { $ref: '#/$defs/address' },
  },
  required: ['name', 'age'],
  additionalProperties: false,
  $defs: {
    address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}

describe('validateJsonSchema', () => {
  test('default', () => {
    expect(
      validateJsonSchema(person, {
        name: 'Ada',
        age: 36,
        email: null,
        role: 'admin',
        tags: ['a'],
        address: { city: 'London' },
      }),
    ).toEqual([])
  })

  test('error: every violation with its path', () => {
    expect(
      validateJsonSchema(person, {
        name: 'A',
        age: 1.5,
        email: 'nobody',
        role: 'root',
        tags: ['a', 'b', 3],
        address: {},
        extra: true,
      }),
    ).toMatchInlineSnapshot(`
      [
        {
          "message": "must have at least 2 characters",
          "path": "$.name",
        },
        {
          "message": "expected integer, got number",
          "path": "$.age",
        },
        {
          "message": "matches none of "anyOf"",
          "path": "$.email",
        },
        {
          "message": "must be one of ["admin","user"]",
          "path": "$.role",
        },
        {
          "message": "must have at most 2 items",
          "path": "$.tags",
        },
        {
          "message": "expected string, got integer",
          "path": "$.tags[2]",
        },
        {
          "message": "missing required property "city"",
          "path": "$.address",
        },
        {
          "message": "is not an allowed property",
          "path": "$.extra",
        },
      ]
    `)
  })

  test('behavior: integers are numbers, oneOf needs exactly one match', () => {
    expect(validateJsonSchema({ type: 'number' }, 3)).toEqual([])
    expect(
      validateJsonSchema({ oneOf: [{ type: 'number' }, { type: 'integer' }] }, 3),
    ).toHaveLength(1)
  })
})

describe('instanceOfSchema', () => {
  test('default', async () => {
    const value = await instanceOfSchema(person, async (name) => `text for ${name}`)
    expect(value).toEqual({
      name: 'text for name',
      age: 42,
      email: 'text for email',
      role: 'admin',
      tags: ['text for tags'],
      address: { city: 'text for city' },
    })
    expect(validateJsonSchema(person, { ...(value as object), email: 'a@b' })).toEqual([])
  })

  test('args: bounds and lengths are respected', async () => {
    expect(await instanceOfSchema({ type: 'integer', maximum: 5 }, async () => '')).toBe(5)
    expect(await instanceOfSchema({ type: 'number', minimum: 100 }, async () => '')).toBe(100)
    expect(await instanceOfSchema({ type: 'string', maxLength: 3 }, async () => 'abcdef')).toBe(
      'abc',
    )
    expect(await instanceOfSchema({ type: 'array', minItems: 3 }, async () => 'x')).toEqual([
      'x',
      'x',
      'x',
    ])
  })
})
