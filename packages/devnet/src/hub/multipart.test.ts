import { describe, expect, test } from 'vitest'
import { MultipartError, multipartBoundary, readMultipartFile } from './multipart.js'

const boundary = '----TestBoundary7MA4YWxkTrZu0gW'

function body(parts: string[], epilogue = '\r\n'): string {
  return `${parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('')}--${boundary}--${epilogue}`
}

/** The body as a stream cut into pieces of `size` bytes (the boundary falls across pieces). */
async function* pieces(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  for (let offset = 0; offset < bytes.length; offset += size)
    yield bytes.subarray(offset, offset + size)
}

async function collect(content: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = []
  for await (const chunk of content) chunks.push(new Uint8Array(chunk))
  return Buffer.concat(chunks).toString('latin1')
}

const filePart = (content: string, extra = '') =>
  `Content-Disposition: form-data; name="file"; filename="model.onnx"${extra}\r\nContent-Type: application/octet-stream\r\n\r\n${content}`

describe('readMultipartFile', () => {
  test('default', async () => {
    // Around the delimiter's length too, where it straddles two pieces in every way.
    for (const size of [1, 3, 7, 35, 36, 37, 38, 64, 1 << 16]) {
      const part = await readMultipartFile(
        pieces(body([filePart('hello\r\n--world')]), size),
        boundary,
        'file',
      )
      expect(part).toMatchObject({
        name: 'file',
        fileName: 'model.onnx',
        contentType: 'application/octet-stream',
      })
      expect(await collect(part!.content)).toBe('hello\r\n--world')
    }
  })

  test('args: parts before and after the file are skipped', async () => {
    const text = body([
      'Content-Disposition: form-data; name="notes"\r\n\r\nfirst',
      filePart('bytes'),
      'Content-Disposition: form-data; name="extra"\r\n\r\nlast',
    ])
    const part = await readMultipartFile(pieces(text, 5), boundary, 'file')
    expect(await collect(part!.content)).toBe('bytes')
  })

  test('args: filename* and quoted characters', async () => {
    const text = body([
      `Content-Disposition: form-data; name="file"; filename="a\\"b.onnx"; filename*=UTF-8''mod%C3%A8le.onnx\r\n\r\nx`,
    ])
    const part = await readMultipartFile(pieces(text, 100), boundary, 'file')
    expect(part!.fileName).toBe('modèle.onnx')
  })

  test('behavior: an empty file', async () => {
    const part = await readMultipartFile(pieces(body([filePart('')]), 4), boundary, 'file')
    expect(await collect(part!.content)).toBe('')
  })

  test('behavior: no part named file', async () => {
    const text = body(['Content-Disposition: form-data; name="other"\r\n\r\nx'])
    expect(await readMultipartFile(pieces(text, 9), boundary, 'file')).toBeUndefined()
  })

  test('error: a body cut off inside the file fails the content stream', async () => {
    const text = body([filePart('a'.repeat(1000))]).slice(0, 500)
    const part = await readMultipartFile(pieces(text, 64), boundary, 'file')
    await expect(collect(part!.content)).rejects.toThrow(
      'The body ended inside a part, before its closing boundary.',
    )
  })

  test('error: a body cut off after the file, before the closing boundary', async () => {
    const text = `--${boundary}\r\n${filePart('data')}\r\n--${boundary}`
    const part = await readMultipartFile(pieces(text, 64), boundary, 'file')
    await expect(collect(part!.content)).rejects.toBeInstanceOf(MultipartError)
  })

  test('error: a part without Content-Disposition', async () => {
    const text = body(['Content-Type: text/plain\r\n\r\nx'])
    await expect(readMultipartFile(pieces(text, 64), boundary, 'file')).rejects.toThrow(
      'A part has no "Content-Disposition: form-data" header.',
    )
  })
})

describe('multipartBoundary', () => {
  test('default', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc')
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b')
  })

  test('error: not multipart or no boundary', () => {
    expect(multipartBoundary('application/json')).toBeUndefined()
    expect(multipartBoundary('multipart/form-data')).toBeUndefined()
    expect(multipartBoundary(undefined)).toBeUndefined()
  })
})
