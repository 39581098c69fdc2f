import { describe, expect, test } from 'vitest'
import { computeModelCid } from './cid.js'

const text = (value: string) => new TextEncoder().encode(value)

/** `count` MiB of zero bytes as a stream, one fresh 1 MiB buffer at a time. */
async function* zeroMebibytes(count: number): AsyncGenerator<Uint8Array> {
  for (let index = 0; index < count; index++) yield new Uint8Array(1 << 20)
}

describe('computeModelCid', () => {
  test('default', async () => {
    expect(await computeModelCid(text('hello world\n'))).toBe(
      'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
    )
  })

  test('args: empty file', async () => {
    expect(await computeModelCid(new Uint8Array())).toBe(
      'QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH',
    )
  })

  test('args: "hello world" without newline', async () => {
    expect(await computeModelCid(text('hello world'))).toBe(
      'Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD',
    )
  })

  test('args: stream in uneven pieces gives the same id as the bytes', async () => {
    const bytes = new Uint8Array(700_000).map((_, index) => (index * 31) % 251)
    async function* pieces() {
      for (let offset = 0; offset < bytes.length; offset += 99_991) {
        yield bytes.subarray(offset, offset + 99_991)
      }
    }
    expect(await computeModelCid(pieces())).toBe(await computeModelCid(bytes))
  })

  // Published `ipfs add` ids of zero-filled files (Kubo defaults): 4 chunks, then 40 and 400
  // chunks (400 > 174 links, so the balanced DAG gets a second level), then 4096 chunks.
  test('args: 1 MiB of zero bytes (4 chunks)', async () => {
    expect(await computeModelCid(new Uint8Array(1 << 20))).toBe(
      'QmVkbauSDEaMP4Tkq6Epm9uW75mWm136n81YH8fGtfwdHU',
    )
  })

  test('args: 10 MiB of zero bytes (40 chunks)', async () => {
    expect(await computeModelCid(zeroMebibytes(10))).toBe(
      'QmaJ6kN9fW3TKpVkpf1NuW7cjhHjNp5Jwr3cQuHzsoZWkJ',
    )
  })

  test('args: 100 MiB of zero bytes (400 chunks, two-level DAG)', async () => {
    expect(await computeModelCid(zeroMebibytes(100))).toBe(
      'Qmca3PNFKuZnYkiVv1FpcV1AfDUm4qCSHoYjPTBqDAsyk8',
    )
  })

  test('args: 1 GiB of zero bytes (4096 chunks)', { timeout: 120_000 }, async () => {
    expect(await computeModelCid(zeroMebibytes(1024))).toBe(
      'QmdiETTY5fiwTkJeERbWAbPKtzcyjzMEJTJJosrqo2qKNm',
    )
  })

  test('behavior: a stream is read once and the result is stable', async () => {
    const first = await computeModelCid(zeroMebibytes(2))
    const second = await computeModelCid(zeroMebibytes(2))
    expect(first).toBe(second)
    expect(first).toMatch(/^Qm[1-9A-HJ-NP-Za-km-z]{44}$/)
  })

  test('error: a failing stream rejects', async () => {
    async function* failing() {
      yield new Uint8Array(10)
      throw new Error('disk gone')
    }
    await expect(computeModelCid(failing())).rejects.toThrow('disk gone')
  })
})
