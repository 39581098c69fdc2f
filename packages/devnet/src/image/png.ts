// A minimal PNG encoder (8-bit RGB, one IDAT) and the devnet's deterministic prompt images.
import { createHash } from 'node:crypto'
import { deflateSync } from 'node:zlib'

const crcTable = Array.from({ length: 256 }, (_, index) => {
  let value = index
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1
  return value >>> 0
})

/** CRC-32 (ISO 3309), as PNG chunks use it. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'latin1')
  out.set(data, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

/**
 * Encodes 8-bit RGB pixels (row-major, 3 bytes a pixel) as a PNG.
 *
 * @example
 * ```ts
 * const png = encodePng({ width: 2, height: 1, rgb: Uint8Array.of(255, 0, 0, 0, 0, 255) })
 * ```
 */
export function encodePng(parameters: { width: number; height: number; rgb: Uint8Array }): Buffer {
  const { width, height, rgb } = parameters
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // depth 8, colour type RGB, deflate, adaptive filter, no interlace
  const stride = width * 3
  const raw = Buffer.alloc((stride + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0 // filter: none
    raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ])
}

/**
 * The devnet's stand-in for an image model: a PNG of the requested size whose gradient and
 * rings are seeded by a hash of the prompt, so the same prompt always gives the same bytes. It
 * is a development stand-in, not a generative model.
 *
 * @example
 * ```ts
 * const png = renderPromptImage({ prompt: 'a red car', width: 64, height: 64 })
 * ```
 */
export function renderPromptImage(parameters: {
  prompt: string
  width: number
  height: number
}): Buffer {
  const { width, height } = parameters
  const seed = createHash('sha256').update(parameters.prompt).digest()
  const byte = (index: number) => seed[index % seed.length] as number
  const from = [byte(0), byte(1), byte(2)]
  const to = [byte(3), byte(4), byte(5)]
  const ring = [byte(6), byte(7), byte(8)]
  const centerX = (byte(9) / 255) * width
  const centerY = (byte(10) / 255) * height
  const period = 8 + (byte(11) % 32)
  const rgb = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x / Math.max(1, width - 1) + y / Math.max(1, height - 1)) / 2
      const distance = Math.hypot(x - centerX, y - centerY)
      const onRing = Math.floor(distance / period) % 2 === 0
      const offset = (y * width + x) * 3
      for (let channel = 0; channel < 3; channel++) {
        const base = (from[channel] as number) * (1 - t) + (to[channel] as number) * t
        rgb[offset + channel] = Math.round(onRing ? (base + (ring[channel] as number)) / 2 : base)
      }
    }
  }
  return encodePng({ width, height, rgb })
}
