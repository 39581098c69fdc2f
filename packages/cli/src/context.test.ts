import { Readable } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { createHome, testAddress, testPrivateKey } from '../test/utils.js'
import { createCommandContext, type GlobalOptions } from './context.js'
import { resolveIo } from './io.js'

async function contextFor(options: GlobalOptions, env: Record<string, string> = {}) {
  const home = await createHome()
  let stdout = ''
  const io = resolveIo({
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => true },
    stdin: Readable.from([]),
    env,
    homeDir: home,
  })
  const context = await createCommandContext({ io, jsonWritten: false }, options)
  return { context, output: () => stdout }
}

describe('createCommandContext', () => {
  test('default', async () => {
    const { context } = await contextFor({}, { OG_PRIVATE_KEY: testPrivateKey })
    expect((await context.getAccount()).address).toBe(testAddress)
    expect(context.getChain().id).toBe(10744)
    expect(context.settings.network.value).toBe('alpha')
  })

  test('behavior: devnet without a key signs with anvil account 0', async () => {
    const { context } = await contextFor({ network: 'devnet', rpcUrl: 'http://127.0.0.1:9545' })
    expect((await context.getAccount()).address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')
    expect(context.getChain().rpcUrls.default.http).toEqual(['http://127.0.0.1:9545'])
  })

  test('behavior: the Alpha key is used on Alpha, the main key on the testnet', async () => {
    const env = { OG_PRIVATE_KEY: `0x${'11'.repeat(32)}`, OG_ALPHA_PRIVATE_KEY: testPrivateKey }
    const alpha = (await contextFor({}, env)).context
    expect((await alpha.getAccount()).address).toBe(testAddress)
    const testnet = (await contextFor({ network: 'testnet' }, env)).context
    expect((await testnet.getAccount()).address).not.toBe(testAddress)
    expect((await testnet.getAccount({ key: 'alpha' })).address).toBe(testAddress)
  })

  test('behavior: printJson writes one document', async () => {
    const { context, output } = await contextFor({ json: true })
    context.print('dropped in --json mode')
    context.printJson({ value: 10n ** 30n })
    expect(output()).toBe('{"value":"1000000000000000000000000000000"}\n')
    expect(() => context.printJson({})).toThrowError(/more than one JSON document/)
  })

  test('error: no key configured', async () => {
    const { context } = await contextFor({})
    await expect(context.getAccount()).rejects.toThrowError(
      expect.objectContaining({
        name: 'MissingPrivateKeyError',
        shortMessage:
          'Insufficient information to create client. Some commands may not be available.',
      }),
    )
  })

  test('error: a malformed key is named by origin, never shown', async () => {
    const { context } = await contextFor({}, { OG_PRIVATE_KEY: '0xdeadbeef' })
    let message = ''
    try {
      await context.getAccount()
    } catch (error) {
      message = (error as Error).message
      expect(error).toMatchObject({ name: 'InvalidPrivateKeyError' })
    }
    expect(message).toContain('The private key from OG_PRIVATE_KEY is not a 32-byte hex string.')
    expect(message).not.toContain('deadbeef')
  })
})
