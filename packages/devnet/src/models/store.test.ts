import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { builtinModelPath } from './builtin.js'
import { computeModelCid } from './cid.js'
import { createModelStore } from './store.js'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'og-model-store-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const helloWorld = new TextEncoder().encode('hello world\n')
const helloWorldCid = 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o'

async function indexOf(storeDir: string) {
  return JSON.parse(await readFile(join(storeDir, 'models.json'), 'utf8')) as {
    models: Record<string, unknown>
    aliases: Record<string, string>
  }
}

describe('createModelStore', () => {
  test('default', async () => {
    const store = createModelStore({ dir })
    const model = await store.add(helloWorld, { name: 'greeting' })
    expect(model).toMatchObject({
      cid: helloWorldCid,
      name: 'greeting',
      size: 12,
      format: 'other',
      inputs: undefined,
      outputs: undefined,
    })
    expect(Number.isNaN(Date.parse(model.addedAt))).toBe(false)
    expect(await store.has(helloWorldCid)).toBe(true)
    expect(await store.path(helloWorldCid)).toBe(join(dir, 'blobs', helloWorldCid))
    expect(await store.get(helloWorldCid)).toEqual(helloWorld)
    expect(await store.stat(helloWorldCid)).toEqual(model)
    expect(await store.list()).toEqual([model])
    expect(Object.keys((await indexOf(dir)).models)).toEqual([helloWorldCid])
  })

  test('args: file path of an ONNX model records its inputs and outputs', async () => {
    const store = createModelStore({ dir })
    const model = await store.add(builtinModelPath('test-model.onnx'))
    expect(model.cid).toBe(
      await computeModelCid(await readFile(builtinModelPath('test-model.onnx'))),
    )
    expect(model.format).toBe('onnx')
    expect(model.name).toBeUndefined()
    expect(model.inputs).toEqual([
      { name: 'num_input1', type: 'tensor(float)', shape: ['n'] },
      { name: 'num_input2', type: 'tensor(float)', shape: [1] },
      { name: 'str_input1', type: 'tensor(string)', shape: ['s'] },
      { name: 'str_input2', type: 'tensor(string)', shape: [1] },
    ])
    expect(model.outputs?.map((output) => [output.name, output.type])).toEqual([
      ['num_output1', 'tensor(float)'],
      ['num_output2', 'tensor(float)'],
      ['str_output1', 'tensor(string)'],
      ['str_output2', 'tensor(string)'],
    ])
  })

  test('args: stream', async () => {
    const store = createModelStore({ dir })
    async function* pieces() {
      yield helloWorld.subarray(0, 5)
      yield helloWorld.subarray(5)
    }
    const model = await store.add(pieces())
    expect(model.cid).toBe(helloWorldCid)
    expect(await store.get(model.cid)).toEqual(helloWorld)
  })

  test('args: stream reusing one buffer is stored and hashed correctly', async () => {
    const store = createModelStore({ dir })
    const expected = new Uint8Array(600_000).map((_, index) => index % 199)
    async function* reused() {
      const buffer = new Uint8Array(65_536)
      for (let offset = 0; offset < expected.length; offset += buffer.length) {
        const piece = expected.subarray(offset, offset + buffer.length)
        buffer.set(piece)
        yield buffer.subarray(0, piece.length)
      }
    }
    const model = await store.add(reused())
    expect(model.cid).toBe(await computeModelCid(expected))
    expect(Buffer.compare(await store.get(model.cid), expected)).toBe(0)
  })

  test('behavior: the same bytes twice give one entry, the first time and the latest name', async () => {
    const store = createModelStore({ dir })
    const first = await store.add(helloWorld, { name: 'one' })
    const second = await store.add(helloWorld, { name: 'two' })
    const third = await store.add(helloWorld)
    expect(second.cid).toBe(first.cid)
    expect(second.addedAt).toBe(first.addedAt)
    expect(second.name).toBe('two')
    expect(third.name).toBe('two')
    expect(await store.list()).toHaveLength(1)
    expect(await readdir(join(dir, 'blobs'))).toEqual([helloWorldCid])
  })

  test('behavior: concurrent adds of the same and of different bytes are all recorded', async () => {
    const store = createModelStore({ dir })
    const other = createModelStore({ dir })
    const files = Array.from({ length: 6 }, (_, index) => new TextEncoder().encode(`file ${index}`))
    const results = await Promise.all([
      store.add(helloWorld),
      other.add(helloWorld),
      store.add(helloWorld),
      ...files.map((bytes, index) => (index % 2 ? store : other).add(bytes)),
    ])
    expect(new Set(results.slice(0, 3).map((model) => model.cid))).toEqual(new Set([helloWorldCid]))
    const listed = (await store.list()).map((model) => model.cid).sort()
    expect(listed).toEqual([...new Set(results.map((model) => model.cid))].sort())
    expect(listed).toHaveLength(7)
    expect(await readdir(join(dir, 'tmp'))).toEqual([])
    expect(await store.get(helloWorldCid)).toEqual(helloWorld)
  })

  test('behavior: an aborted stream leaves no blob, no entry and no temporary file', async () => {
    const store = createModelStore({ dir })
    await store.add(helloWorld)
    const controller = new AbortController()
    async function* slow() {
      yield new Uint8Array(300_000).fill(7)
      controller.abort(new Error('client went away'))
      yield new Uint8Array(300_000).fill(8)
    }
    await expect(store.add(slow(), { signal: controller.signal })).rejects.toThrow(
      'client went away',
    )
    expect(await readdir(join(dir, 'blobs'))).toEqual([helloWorldCid])
    expect(await readdir(join(dir, 'tmp'))).toEqual([])
    expect(Object.keys((await indexOf(dir)).models)).toEqual([helloWorldCid])
  })

  test('behavior: a stream that fails midway leaves nothing', async () => {
    const store = createModelStore({ dir })
    async function* failing() {
      yield new Uint8Array(400_000)
      throw new Error('connection reset')
    }
    await expect(store.add(failing())).rejects.toThrow('connection reset')
    expect(await readdir(join(dir, 'blobs'))).toEqual([])
    expect(await readdir(join(dir, 'tmp'))).toEqual([])
    expect(await store.list()).toEqual([])
  })

  test('behavior: a blob without an index entry is not visible', async () => {
    const store = createModelStore({ dir })
    await store.add(new Uint8Array([1]))
    await writeFile(join(dir, 'blobs', helloWorldCid), helloWorld)
    expect(await store.has(helloWorldCid)).toBe(false)
    expect((await store.add(helloWorld)).cid).toBe(helloWorldCid)
    expect(await store.has(helloWorldCid)).toBe(true)
  })

  test('behavior: aliases resolve to the stored model', async () => {
    const store = createModelStore({ dir })
    const model = await store.add(helloWorld)
    await store.alias('hJD2Ja3akZFt1A2LT-D_1oxOCz_OtuGYw4V9eE1m39M', model.cid)
    expect(await store.has('hJD2Ja3akZFt1A2LT-D_1oxOCz_OtuGYw4V9eE1m39M')).toBe(true)
    expect(await store.stat('hJD2Ja3akZFt1A2LT-D_1oxOCz_OtuGYw4V9eE1m39M')).toEqual(model)
    expect(await store.path('hJD2Ja3akZFt1A2LT-D_1oxOCz_OtuGYw4V9eE1m39M')).toBe(
      join(dir, 'blobs', model.cid),
    )
    expect(await store.list()).toEqual([model])
    expect((await indexOf(dir)).aliases).toEqual({
      'hJD2Ja3akZFt1A2LT-D_1oxOCz_OtuGYw4V9eE1m39M': model.cid,
    })
  })

  test('behavior: a second store on the same directory sees the models', async () => {
    await createModelStore({ dir }).add(helloWorld, { name: 'greeting' })
    const reopened = createModelStore({ dir })
    expect((await reopened.stat(helloWorldCid)).name).toBe('greeting')
  })

  test('error: unknown id', async () => {
    const store = createModelStore({ dir })
    await expect(store.stat(helloWorldCid)).rejects.toMatchObject({ name: 'NotFoundError' })
    await expect(store.path(helloWorldCid)).rejects.toMatchObject({ name: 'NotFoundError' })
    await expect(store.get(helloWorldCid)).rejects.toMatchObject({ name: 'NotFoundError' })
    const error = await store.stat(helloWorldCid).catch((error: unknown) => error)
    expect((error as { shortMessage: string }).shortMessage).toMatchInlineSnapshot(
      `"Model "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o" is not in the model store."`,
    )
    expect(await store.has(helloWorldCid)).toBe(false)
  })

  test('error: ids that are not plain CID characters never reach the file system', async () => {
    const store = createModelStore({ dir })
    await store.add(helloWorld)
    expect(await store.has(`../blobs/${helloWorldCid}`)).toBe(false)
    await expect(store.path('../models.json')).rejects.toMatchObject({ name: 'NotFoundError' })
    await expect(store.alias('../x', helloWorldCid)).rejects.toMatchObject({
      name: 'InvalidInputError',
    })
    for (const id of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(await store.has(id)).toBe(false)
    }
    await store.alias('constructor', helloWorldCid)
    expect((await store.stat('constructor')).cid).toBe(helloWorldCid)
  })

  test('error: missing source file', async () => {
    const store = createModelStore({ dir })
    await expect(store.add(join(dir, 'nope.onnx'))).rejects.toMatchObject({
      name: 'NotFoundError',
    })
    expect(await readdir(join(dir, 'tmp'))).toEqual([])
  })

  test('error: a source that is not bytes, a path or a stream', async () => {
    const store = createModelStore({ dir })
    await expect(store.add(42 as never)).rejects.toMatchObject({ name: 'InvalidInputError' })
  })
})
