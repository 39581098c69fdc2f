import { readdir, readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { builtinModelPath } from '@opengradient/devnet'
import { describe, expect, test } from 'vitest'
import { devnetArgs } from '../../test/hub.js'
import { createHome, og } from '../../test/utils.js'

const mlpCid = 'QmQ9at5ASmwKgn1a4zULEbyPYfcfd4mmojevrvBEHrA3vH'

describe('og download', () => {
  test('default', async () => {
    const home = await createHome()
    const out = join(home, 'mlp.onnx')
    const result = await og([...devnetArgs(), 'download', '--cid', mlpCid, '--out', out], { home })
    const expected = await readFile(builtinModelPath('mlp.onnx'))
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(
      `Downloaded ${mlpCid} to ${out} (${expected.length} bytes); its content id matches.\n`,
    )
    expect((await readFile(out)).equals(expected)).toBe(true)
    const json = await og([...devnetArgs(), 'download', '--cid', mlpCid, '-o', out, '--json'], {
      home,
    })
    expect(JSON.parse(json.stdout)).toEqual({ cid: mlpCid, path: out, size: expected.length })
  })

  test('error: tampered bytes are refused and leave no file', async () => {
    const home = await createHome()
    const server = createServer((_request, response) => response.end('tampered model'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ipfs/`
      const result = await og(
        [
          ...devnetArgs(),
          'download',
          '--cid',
          mlpCid,
          '-o',
          join(home, 'x.onnx'),
          '--gateway',
          gateway,
        ],
        { home },
      )
      expect(result.exitCode).toBe(1)
      expect(result.stderr).toContain(
        `Error: The downloaded bytes are not the content "${mlpCid}"; they were refused.`,
      )
      expect((await readdir(home)).filter((name) => name.includes('x.onnx'))).toEqual([])
    } finally {
      server.close()
    }
  })

  test('error: unknown content id', async () => {
    const home = await createHome()
    const cid = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o'
    const result = await og([...devnetArgs(), 'download', '--cid', cid, '-o', join(home, 'y')], {
      home,
    })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('Error: Download failed:')
  })
})
