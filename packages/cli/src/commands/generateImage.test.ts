import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { createHome, og } from '../../test/utils.js'

function devnetArgs() {
  return ['--network', 'devnet', '--rpc-url', testDevnet().rpcUrl]
}

const crcTable = Array.from({ length: 256 }, (_, index) => {
  let value = index
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1
  return value >>> 0
})

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

// A strict reader of 8-bit RGB/RGBA PNGs: checks the signature, every chunk CRC, and that the
// inflated image data holds exactly one filter byte and one row per scanline.
function decodePng(file: Buffer): { width: number; height: number; pixels: number } {
  expect([...file.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  let offset = 8
  let header: Buffer | undefined
  const data: Buffer[] = []
  let ended = false
  while (offset < file.length) {
    const length = file.readUInt32BE(offset)
    const type = file.toString('latin1', offset + 4, offset + 8)
    const body = file.subarray(offset + 8, offset + 8 + length)
    expect(file.readUInt32BE(offset + 8 + length)).toBe(
      crc32(file.subarray(offset + 4, offset + 8 + length)),
    )
    if (type === 'IHDR') header = body
    if (type === 'IDAT') data.push(body)
    if (type === 'IEND') ended = true
    offset += 12 + length
  }
  expect(ended).toBe(true)
  if (!header) throw new Error('No IHDR chunk.')
  const width = header.readUInt32BE(0)
  const height = header.readUInt32BE(4)
  expect(header[8]).toBe(8)
  const channels = header[9] === 6 ? 4 : 3
  const raw = inflateSync(Buffer.concat(data))
  expect(raw.length).toBe(height * (width * channels + 1))
  for (let y = 0; y < height; y++) expect(raw[y * (width * channels + 1)]).toBeLessThanOrEqual(4)
  return { width, height, pixels: width * height }
}

describe('og generate-image', () => {
  test('default', async () => {
    const home = await createHome()
    const path = join(home, 'car.png')
    const result = await og(
      [
        ...devnetArgs(),
        'generate-image',
        '-m',
        'devnet/image',
        '-p',
        'a red car',
        '-o',
        path,
        '--width',
        '48',
        '--height',
        '24',
      ],
      { home },
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    const file = await readFile(path)
    expect(result.stdout).toBe(
      `Generating image with model "devnet/image"\n✅ Image generation successful\nImage saved to: ${path} (${file.length} bytes, image/png)\n`,
    )
    expect(decodePng(file)).toEqual({ width: 48, height: 24, pixels: 48 * 24 })
    expect((await readdir(home)).filter((name) => name.endsWith('.part'))).toEqual([])
  })

  test('args: --json', async () => {
    const home = await createHome()
    const path = join(home, 'boat.png')
    const result = await og(
      [
        ...devnetArgs(),
        'generate-image',
        '--model',
        'devnet/image',
        '--prompt',
        'a boat',
        '--output-path',
        path,
        '--width',
        '16',
        '--height',
        '20',
        '--json',
      ],
      { home },
    )
    expect(result.exitCode).toBe(0)
    const file = await readFile(path)
    expect(JSON.parse(result.stdout)).toEqual({
      path,
      size: file.length,
      mediaType: 'image/png',
      width: 16,
      height: 20,
    })
    expect(decodePng(file)).toMatchObject({ width: 16, height: 20 })
  })

  test('error: the server cannot serve the model', async () => {
    const home = await createHome()
    const path = join(home, 'none.png')
    const result = await og(
      [
        ...devnetArgs(),
        'generate-image',
        '-m',
        'devnet/unknown',
        '-p',
        'x',
        '-o',
        path,
        '--width',
        '8',
        '--height',
        '8',
      ],
      { home },
    )
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(
      'Model "devnet/unknown" is not served by the devnet image service.',
    )
    expect(
      await readdir(home).then((names) => names.filter((name) => name.includes('none.png'))),
    ).toEqual([])
  })

  test('error: --width must be a number', async () => {
    const home = await createHome()
    const result = await og(
      [
        ...devnetArgs(),
        'generate-image',
        '-m',
        'devnet/image',
        '-p',
        'x',
        '-o',
        join(home, 'y.png'),
        '--width',
        'wide',
      ],
      { home },
    )
    expect(result.exitCode).not.toBe(0)
    expect(result.stderr).toContain(
      '--width must be a positive whole number of pixels; got "wide".',
    )
  })
})
