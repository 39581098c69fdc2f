import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { builtinModelBuilders } from '../../scripts/models.mjs'
import { builtinModelPath, builtinModels, installBuiltinModels } from './builtin.js'
import { computeModelCid } from './cid.js'
import { createModelStore } from './store.js'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'og-builtin-models-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('builtinModels', () => {
  test('default', () => {
    expect(
      builtinModels.map((model) => [model.fileName, model.name, model.cid]),
    ).toMatchInlineSnapshot(`
        [
          [
            "test-model.onnx",
            "test-model",
            "QmfDq9TPsZWECmxpxb9o9wejDGDemiSM3uGs5XdBVQd4yC",
          ],
          [
            "mlp.onnx",
            "mlp",
            "QmQ9at5ASmwKgn1a4zULEbyPYfcfd4mmojevrvBEHrA3vH",
          ],
          [
            "eth-volatility.onnx",
            "eth-usdt-1h-volatility",
            "QmaGotBts5qoedmkia84nNrzzCbP7S4aBp1t5u9bDg1245",
          ],
        ]
      `)
  })

  test('behavior: each committed file has the listed id and equals its rebuild', async () => {
    expect(Object.keys(builtinModelBuilders).sort()).toEqual(
      builtinModels.map((model) => model.fileName).sort(),
    )
    for (const model of builtinModels) {
      const committed = await readFile(builtinModelPath(model.fileName))
      expect(await computeModelCid(committed), model.fileName).toBe(model.cid)
      const rebuilt = builtinModelBuilders[model.fileName]?.()
      expect(rebuilt && Buffer.from(rebuilt).equals(committed), model.fileName).toBe(true)
    }
  })
})

describe('installBuiltinModels', () => {
  test('default', async () => {
    const store = createModelStore({ dir })
    const installed = await installBuiltinModels(store)
    expect(installed.map((model) => [model.cid, model.name, model.format])).toEqual(
      builtinModels.map((model) => [model.cid, model.name, 'onnx']),
    )
    const volatility = await store.stat('QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N')
    expect(volatility.inputs).toEqual([
      { name: 'open_high_low_close', type: 'tensor(float)', shape: [10, 4] },
    ])
    expect(volatility.outputs).toEqual([{ name: 'Y', type: 'tensor(float)', shape: [1] }])
    expect((await store.stat('QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ')).name).toBe(
      'test-model',
    )
    expect((await store.stat('hJD2Ja3akZFt1A2LT-D_1oxOCz_OtuGYw4V9eE1m39M')).cid).toBe(
      volatility.cid,
    )
  })

  test('behavior: installing again changes nothing', async () => {
    const store = createModelStore({ dir })
    const first = await installBuiltinModels(store)
    const index = await readFile(join(dir, 'models.json'), 'utf8')
    const second = await installBuiltinModels(store)
    expect(second).toEqual(first)
    expect(await readFile(join(dir, 'models.json'), 'utf8')).toBe(index)
    expect(await store.list()).toHaveLength(builtinModels.length)
  })
})
