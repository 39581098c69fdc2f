// The ONNX models every devnet starts with. Their files are built by scripts/build-models.mjs.
import { fileURLToPath } from 'node:url'
import type { ModelStore, StoredModel } from './store.js'

/** A model shipped with the devnet. */
export type BuiltinModel = {
  /** File name under the package's `models/` directory. */
  fileName: string
  /** The IPFS content id of the file, checked by the tests against the committed file. */
  cid: string
  /** Friendly name recorded in the store. */
  name: string
  description: string
  /**
   * Ids the same model has on the real network, served as aliases so requests written for
   * Alpha run unchanged.
   */
  referenceIds: readonly string[]
}

/**
 * The built-in models: the reference test model, a small MLP classifier and the ETH/USDT 1 h
 * volatility model.
 *
 * @example
 * ```ts
 * builtinModels.map((model) => `${model.name}: ${model.cid}`)
 * ```
 */
export const builtinModels: readonly BuiltinModel[] = [
  {
    fileName: 'test-model.onnx',
    cid: 'QmfDq9TPsZWECmxpxb9o9wejDGDemiSM3uGs5XdBVQd4yC',
    name: 'test-model',
    description:
      'The reference test model: num_output1 = num_input1 + num_input2, num_output2 = num_input2, str_output1 = str_input1 followed by str_input2, str_output2 = str_input2.',
    referenceIds: ['QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ'],
  },
  {
    fileName: 'mlp.onnx',
    cid: 'QmQ9at5ASmwKgn1a4zULEbyPYfcfd4mmojevrvBEHrA3vH',
    name: 'mlp',
    description:
      'A small classifier with fixed weights: x float[1,4] → Gemm(4→8) → Relu → Gemm(8→3) → Softmax → probabilities float[1,3].',
    referenceIds: [],
  },
  {
    fileName: 'eth-volatility.onnx',
    cid: 'QmaGotBts5qoedmkia84nNrzzCbP7S4aBp1t5u9bDg1245',
    name: 'eth-usdt-1h-volatility',
    description:
      'ETH/USDT 1 h volatility stand-in: open_high_low_close float[10,4] (oldest first) → Y float[1], the sample standard deviation of the 9 log returns of the close column.',
    referenceIds: [
      'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
      'hJD2Ja3akZFt1A2LT-D_1oxOCz_OtuGYw4V9eE1m39M',
    ],
  },
]

/**
 * The path of a built-in model's file inside the installed package.
 *
 * @example
 * ```ts
 * builtinModelPath('mlp.onnx') // '/…/node_modules/@opengradient/devnet/models/mlp.onnx'
 * ```
 */
export function builtinModelPath(fileName: string): string {
  return fileURLToPath(new URL(`../../models/${fileName}`, import.meta.url))
}

/**
 * Adds the built-in models to a store, with their names and reference ids as aliases. Models
 * already there are not read again, so calling it at every start is cheap.
 *
 * @returns The stored models, in {@link builtinModels} order.
 *
 * @example
 * ```ts
 * const store = createModelStore({ dir: '/tmp/devnet/models' })
 * await installBuiltinModels(store)
 * await store.has('QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ') // true (alias of test-model)
 * ```
 */
export async function installBuiltinModels(store: ModelStore): Promise<StoredModel[]> {
  const installed: StoredModel[] = []
  for (const model of builtinModels) {
    const stored = (await store.has(model.cid))
      ? await store.stat(model.cid)
      : await store.add(builtinModelPath(model.fileName), { name: model.name })
    for (const referenceId of model.referenceIds) {
      if (!(await store.has(referenceId))) await store.alias(referenceId, stored.cid)
    }
    installed.push(stored)
  }
  return installed
}
