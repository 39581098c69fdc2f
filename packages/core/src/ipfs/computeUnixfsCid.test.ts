import { describe, expect, test } from 'vitest'
import { computeUnixfsCid } from './computeUnixfsCid.js'

const text = (value: string) => new TextEncoder().encode(value)

async function* zeroMebibytes(count: number): AsyncGenerator<Uint8Array> {
  for (let index = 0; index < count; index++) yield new Uint8Array(1 << 20)
}

// Ids published for `ipfs add` with Kubo's defaults.
describe('computeUnixfsCid', () => {
  test('default', async () => {
    expect(await computeUnixfsCid(text('hello world\n'))).toBe(
      'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
    )
  })

  test('args: empty file', async () => {
    expect(await computeUnixfsCid(new Uint8Array())).toBe(
      'QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH',
    )
  })

  test('args: 1 MiB of zero bytes (4 chunks)', async () => {
    expect(await computeUnixfsCid(new Uint8Array(1 << 20))).toBe(
      'QmVkbauSDEaMP4Tkq6Epm9uW75mWm136n81YH8fGtfwdHU',
    )
  })

  test('args: 100 MiB of zero bytes as a stream (400 chunks, two-level DAG)', async () => {
    expect(await computeUnixfsCid(zeroMebibytes(100))).toBe(
      'Qmca3PNFKuZnYkiVv1FpcV1AfDUm4qCSHoYjPTBqDAsyk8',
    )
  })

  test('behavior: uneven stream pieces give the id of the whole bytes', async () => {
    const bytes = new Uint8Array(700_000).map((_, index) => (index * 31) % 251)
    async function* pieces() {
      for (let offset = 0; offset < bytes.length; offset += 99_991) {
        yield bytes.subarray(offset, offset + 99_991)
      }
    }
    expect(await computeUnixfsCid(pieces())).toBe(await computeUnixfsCid(bytes))
  })

  test('error: a stream of something other than bytes', async () => {
    async function* strings() {
      yield 'text' as unknown as Uint8Array
    }
    await expect(computeUnixfsCid(strings())).rejects.toThrow('must yield Uint8Array')
  })
})
