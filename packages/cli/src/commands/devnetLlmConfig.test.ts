import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createHome } from '../../test/utils.js'
import type { CommandContext } from '../context.js'
import { readLlmGatewayConfig } from './devnet.js'

const contextWith = (env: Record<string, string>) => ({ io: { env } }) as unknown as CommandContext

describe('readLlmGatewayConfig', () => {
  test('default', async () => {
    const file = join(await createHome(), 'llm.json')
    await writeFile(
      file,
      JSON.stringify({
        models: {
          'openai/gpt-4o-mini': {
            backend: 'upstream',
            url: 'https://api.openai.com',
            apiKey: '$OPENAI_KEY',
          },
          'acme/echo': { backend: 'script' },
        },
        script: { replies: [{ content: 'Hi' }] },
      }),
    )
    expect(await readLlmGatewayConfig(contextWith({ OPENAI_KEY: 'sk-test' }), file)).toEqual({
      models: {
        'openai/gpt-4o-mini': {
          backend: 'upstream',
          url: 'https://api.openai.com',
          apiKey: 'sk-test',
        },
        'acme/echo': { backend: 'script' },
      },
      script: { replies: [{ content: 'Hi' }] },
    })
  })

  test('error: a missing variable or file', async () => {
    const file = join(await createHome(), 'llm.json')
    await writeFile(
      file,
      '{"models": {"a/b": {"backend": "upstream", "url": "http://x", "apiKey": "$NOPE"}}}',
    )
    await expect(readLlmGatewayConfig(contextWith({}), file)).rejects.toThrow(
      'The environment variable NOPE is not set.',
    )
    await expect(readLlmGatewayConfig(contextWith({}), `${file}.missing`)).rejects.toThrow(
      'cannot be read',
    )
  })
})
