import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type AbiModelInput,
  type AbiNumberTensor,
  type FixedPointNumber,
  fixedPointToNumber,
} from '@opengradient/core'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { mlpParameters } from '../../scripts/models.mjs'
import {
  ElementType,
  encodeModel,
  intAttribute,
  node,
  tensorValue,
} from '../../scripts/onnx-builder.mjs'
import { builtinModels, installBuiltinModels } from '../models/builtin.js'
import { createModelStore, type ModelStore } from '../models/store.js'
import { createOnnxEngine, InferenceFailedError, type OnnxEngine } from './onnx.js'

let dir: string
let store: ModelStore
let engine: OnnxEngine

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'og-onnx-engine-'))
  store = createModelStore({ dir })
  await installBuiltinModels(store)
  engine = createOnnxEngine({ store })
})

afterEach(async () => {
  await engine.close()
  await rm(dir, { recursive: true, force: true })
})

function builtinCid(fileName: string): string {
  const model = builtinModels.find((candidate) => candidate.fileName === fileName)
  if (!model) throw new Error(`no built-in model ${fileName}`)
  return model.cid
}

const testModelCid = builtinCid('test-model.onnx')
const mlpCid = builtinCid('mlp.onnx')
const volatilityCid = builtinCid('eth-volatility.onnx')

const integer = (value: number | bigint): FixedPointNumber => ({
  value: BigInt(value),
  decimals: 0n,
})

function numberTensor(
  name: string,
  values: readonly FixedPointNumber[],
  shape: readonly number[] = [values.length],
): AbiNumberTensor {
  return { name, values, shape }
}

/** The request of onchain-inference.md §15. */
const referenceInput: AbiModelInput = {
  numbers: [
    numberTensor('num_input1', [integer(1), integer(2), integer(3)]),
    numberTensor('num_input2', [integer(10)]),
  ],
  strings: [
    { name: 'str_input1', values: ['hello', 'ONNXY'] },
    { name: 'str_input2', values: [' world'] },
  ],
}

/** Adds a model built in the test to the store and returns its id. */
async function addModel(bytes: Uint8Array): Promise<string> {
  return (await store.add(bytes)).cid
}

async function failureOf(promise: Promise<unknown>): Promise<InferenceFailedError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(error).toBeInstanceOf(InferenceFailedError)
  return error as InferenceFailedError
}

describe('runModelInference', () => {
  test('default', async () => {
    const output = await engine.runModelInference({
      mode: 0,
      modelId: testModelCid,
      input: referenceInput,
    })
    expect(output).toEqual({
      numbers: [
        {
          name: 'num_output1',
          values: [
            { value: 11n, decimals: 0n },
            { value: 12n, decimals: 0n },
            { value: 13n, decimals: 0n },
          ],
          shape: [3],
        },
        { name: 'num_output2', values: [{ value: 10n, decimals: 0n }], shape: [1] },
      ],
      strings: [
        { name: 'str_output1', values: ['hello', 'ONNXY', ' world'] },
        { name: 'str_output2', values: [' world'] },
      ],
      jsons: [],
      is_simulation_result: false,
    })
  })

  test('args: the reference network id of the test model', async () => {
    const output = await engine.runModelInference({
      mode: 0,
      modelId: 'QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ',
      input: referenceInput,
    })
    expect(output.strings[0]?.values).toEqual(['hello', 'ONNXY', ' world'])
  })

  test('args: mode ZKML and TEE run the same computation', async () => {
    const vanilla = await engine.runModelInference({
      mode: 0,
      modelId: testModelCid,
      input: referenceInput,
    })
    for (const mode of [1, 2]) {
      expect(
        await engine.runModelInference({ mode, modelId: testModelCid, input: referenceInput }),
      ).toEqual(vanilla)
    }
  })

  test('args: fractional float inputs are rounded to float32 and outputs encoded exactly', async () => {
    const output = await engine.runModelInference({
      mode: 0,
      modelId: testModelCid,
      input: {
        numbers: [
          numberTensor('num_input1', [
            { value: 1n, decimals: 1n },
            { value: -15n, decimals: 1n },
            { value: 33n, decimals: 1n },
            { value: 1n, decimals: 7n },
            { value: 37741574n, decimals: 11n },
          ]),
          numberTensor('num_input2', [{ value: 0n, decimals: 0n }]),
        ],
        strings: referenceInput.strings,
      },
    })
    // The float32 rows of the table in onchain-inference.md §7.
    expect(output.numbers[0]?.values).toEqual([
      { value: 100000001490116119384765625n, decimals: 27n },
      { value: -15n, decimals: 1n },
      { value: 32999999523162841796875n, decimals: 22n },
      { value: 1000000011686097423080354929n, decimals: 34n },
      { value: 3774157376028597354888916016n, decimals: 31n },
    ])
  })

  test('behavior: tensors the model does not declare are ignored, the last of a name wins', async () => {
    const output = await engine.runModelInference({
      mode: 0,
      modelId: testModelCid,
      input: {
        numbers: [
          numberTensor('num_input2', [integer(99)]),
          ...referenceInput.numbers,
          numberTensor('unused', [integer(1)]),
        ],
        strings: [...referenceInput.strings, { name: 'also_unused', values: ['x'] }],
      },
    })
    expect(output.numbers[1]?.values).toEqual([integer(10)])
  })

  test('behavior: the MLP matches a float64 re-computation', async () => {
    const { inputSize, hiddenSize, outputSize, w1, b1, w2, b2 } = mlpParameters
    const x = ['0.5', '-1.25', '2', '0.75']
    const output = await engine.runModelInference({
      mode: 0,
      modelId: mlpCid,
      input: {
        numbers: [
          numberTensor(
            'x',
            x.map((text) => {
              const [whole = '', fraction = ''] = text.split('.')
              return { value: BigInt(whole + fraction), decimals: BigInt(fraction.length) }
            }),
            [1, inputSize],
          ),
        ],
        strings: [],
      },
    })
    const weight = (values: readonly number[], index: number) => Math.fround(values[index] ?? 0)
    const hidden = Array.from({ length: hiddenSize }, (_, column) => {
      let sum = weight(b1, column)
      for (let row = 0; row < inputSize; row++) {
        sum += Number(x[row]) * weight(w1, row * hiddenSize + column)
      }
      return Math.max(0, sum)
    })
    const logits = Array.from({ length: outputSize }, (_, column) => {
      let sum = weight(b2, column)
      for (let row = 0; row < hiddenSize; row++) {
        sum += (hidden[row] ?? 0) * weight(w2, row * outputSize + column)
      }
      return sum
    })
    const largest = Math.max(...logits)
    const exponentials = logits.map((logit) => Math.exp(logit - largest))
    const total = exponentials.reduce((sum, value) => sum + value, 0)
    const expected = exponentials.map((value) => value / total)

    const [probabilities] = output.numbers
    expect(probabilities?.name).toBe('probabilities')
    expect(probabilities?.shape).toEqual([1, outputSize])
    const actual = probabilities?.values.map(fixedPointToNumber) ?? []
    expect(actual).toHaveLength(outputSize)
    actual.forEach((probability, index) => {
      expect(probability).toBeCloseTo(expected[index] ?? Number.NaN, 6)
      // Every element is a float32 encoded exactly.
      expect(Math.fround(probability)).toBe(probability)
    })
    expect(actual.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 6)
  })

  test('behavior: a flat input is reshaped to the declared rank', async () => {
    const request = (shape: number[]) =>
      engine.runModelInference({
        mode: 0,
        modelId: mlpCid,
        input: { numbers: [numberTensor('x', [1, 2, 3, 4].map(integer), shape)], strings: [] },
      })
    expect(await request([4])).toEqual(await request([1, 4]))
  })

  test('behavior: float64 and integer inputs on a model that declares them', async () => {
    const modelId = await addModel(
      encodeModel({
        name: 'typed_identity',
        inputs: [
          tensorValue('f64', ElementType.double, ['n']),
          tensorValue('i64', ElementType.int64, ['n']),
          tensorValue('i8', ElementType.int8, ['n']),
          tensorValue('u16', ElementType.uint16, ['n']),
          tensorValue('u64', ElementType.uint64, ['n']),
        ],
        outputs: [
          tensorValue('f64_out', ElementType.double, ['n']),
          tensorValue('i64_out', ElementType.int64, ['n']),
          tensorValue('i8_out', ElementType.int8, ['n']),
          tensorValue('u16_out', ElementType.uint16, ['n']),
          tensorValue('u64_out', ElementType.uint64, ['n']),
        ],
        nodes: [
          node('Identity', ['f64'], ['f64_out']),
          node('Identity', ['i64'], ['i64_out']),
          node('Identity', ['i8'], ['i8_out']),
          node('Identity', ['u16'], ['u16_out']),
          node('Identity', ['u64'], ['u64_out']),
        ],
      }),
    )
    const output = await engine.runModelInference({
      mode: 0,
      modelId,
      input: {
        numbers: [
          numberTensor('f64', [
            { value: 1n, decimals: 1n },
            { value: -123456789n, decimals: 3n },
          ]),
          numberTensor('i64', [
            { value: 9007199254740993n, decimals: 0n },
            { value: -29n, decimals: 1n },
          ]),
          numberTensor('i8', [
            { value: -1280n, decimals: 1n },
            { value: 1279n, decimals: 1n },
          ]),
          numberTensor('u16', [integer(65_535), { value: 5n, decimals: 18n }]),
          numberTensor('u64', [integer(2n ** 64n - 1n), integer(0)]),
        ],
        strings: [],
      },
    })
    expect(output.numbers).toEqual([
      {
        name: 'f64_out',
        // float64 0.1 (onchain-inference.md §7), then -123456.789 as float64.
        values: [
          { value: 1000000000000000055511151231n, decimals: 28n },
          { value: -1234567890000000043073669076n, decimals: 22n },
        ],
        shape: [2],
      },
      { name: 'i64_out', values: [integer(9007199254740993n), integer(-2)], shape: [2] },
      { name: 'i8_out', values: [integer(-128), integer(127)], shape: [2] },
      { name: 'u16_out', values: [integer(65_535), integer(0)], shape: [2] },
      { name: 'u64_out', values: [integer(2n ** 64n - 1n), integer(0)], shape: [2] },
    ])
  })

  test('behavior: strings are fed with their length and reshaped to the declared rank', async () => {
    const modelId = await addModel(
      encodeModel({
        name: 'string_batch',
        inputs: [tensorValue('texts', ElementType.string, [1, 'n'])],
        outputs: [tensorValue('texts_out', ElementType.string, [1, 'n'])],
        nodes: [node('Identity', ['texts'], ['texts_out'])],
      }),
    )
    const output = await engine.runModelInference({
      mode: 0,
      modelId,
      input: { numbers: [], strings: [{ name: 'texts', values: ['a', 'b', 'c'] }] },
    })
    expect(output.strings).toEqual([{ name: 'texts_out', values: ['a', 'b', 'c'] }])
  })

  test('behavior: sessions are cached per model and evicted least recently used first', async () => {
    const cached = createOnnxEngine({ store, maxCachedSessions: 1 })
    try {
      const run = (modelId: string, input: AbiModelInput) =>
        cached.runModelInference({ mode: 0, modelId, input })
      const mlpInput = {
        numbers: [numberTensor('x', [1, 2, 3, 4].map(integer), [1, 4])],
        strings: [],
      }
      await Promise.all([1, 2, 3, 4, 5].map(() => run(testModelCid, referenceInput)))
      expect(cached.sessionStats()).toEqual({ loaded: 1, cached: 1 })
      // The reference id is an alias of the same file, so it shares the session.
      await run('QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ', referenceInput)
      await run(testModelCid, referenceInput)
      expect(cached.sessionStats()).toEqual({ loaded: 1, cached: 1 })
      await run(mlpCid, mlpInput)
      await run(testModelCid, referenceInput)
      expect(cached.sessionStats()).toEqual({ loaded: 3, cached: 1 })
    } finally {
      await cached.close()
    }
  })

  test('error: unknown model', async () => {
    const error = await failureOf(
      engine.runModelInference({
        mode: 0,
        modelId: 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG',
        input: referenceInput,
      }),
    )
    expect(error.reason).toBe('Model not found: QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG')
    expect(error.name).toBe('InferenceFailedError')
    expect(error.modelId).toBe('QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG')
    expect(error.shortMessage).toMatchInlineSnapshot(
      `"The inference failed: Model not found: QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG."`,
    )
  })

  test('error: missing input', async () => {
    const error = await failureOf(
      engine.runModelInference({
        mode: 0,
        modelId: testModelCid,
        input: { numbers: referenceInput.numbers.slice(0, 1), strings: referenceInput.strings },
      }),
    )
    expect(error.reason).toBe('Input not found: num_input2')
    expect(error.modelId).toBe(testModelCid)
  })

  test('error: decimals above 18', async () => {
    const error = await failureOf(
      engine.runModelInference({
        mode: 0,
        modelId: testModelCid,
        input: {
          numbers: [
            numberTensor('num_input1', [{ value: 1n, decimals: 19n }]),
            numberTensor('num_input2', [integer(10)]),
          ],
          strings: referenceInput.strings,
        },
      }),
    )
    expect(error.reason).toBe('Decimal value greater than precision limit: 19')
  })

  test('error: wrong shape', async () => {
    const mlp = (values: FixedPointNumber[], shape: number[]) =>
      failureOf(
        engine.runModelInference({
          mode: 0,
          modelId: mlpCid,
          input: { numbers: [numberTensor('x', values, shape)], strings: [] },
        }),
      )
    expect((await mlp([1, 2, 3, 4].map(integer), [2, 2])).reason).toBe(
      'Shape mismatch for input x: got [2,2], model expects [1,4]',
    )
    expect((await mlp([1, 2, 3].map(integer), [3])).reason).toBe(
      'Shape mismatch for input x: got [3], model expects [1,4]',
    )
    expect((await mlp([1, 2, 3].map(integer), [1, 4])).reason).toBe(
      'Shape mismatch for input x: shape [1,4] needs 4 values, got 3',
    )
  })

  test('error: string tensor for a number input', async () => {
    const error = await failureOf(
      engine.runModelInference({
        mode: 0,
        modelId: mlpCid,
        input: { numbers: [], strings: [{ name: 'x', values: ['1', '2', '3', '4'] }] },
      }),
    )
    expect(error.reason).toBe('Input x expects tensor(float), got strings')
  })

  test('error: number tensor for a string input', async () => {
    const error = await failureOf(
      engine.runModelInference({
        mode: 0,
        modelId: testModelCid,
        input: {
          numbers: [...referenceInput.numbers, numberTensor('str_input1', [integer(1)])],
          strings: referenceInput.strings,
        },
      }),
    )
    expect(error.reason).toBe('Unsupported input type: tensor(string)')
  })

  test('error: integer out of range for the declared type', async () => {
    const modelId = await addModel(
      encodeModel({
        name: 'int8_identity',
        inputs: [tensorValue('small', ElementType.int8, [1])],
        outputs: [tensorValue('small_out', ElementType.int8, [1])],
        nodes: [node('Identity', ['small'], ['small_out'])],
      }),
    )
    const error = await failureOf(
      engine.runModelInference({
        mode: 0,
        modelId,
        input: { numbers: [numberTensor('small', [integer(200)])], strings: [] },
      }),
    )
    expect(error.reason).toBe('Value out of range for tensor(int8) in input small: 200')
  })

  test('error: unsupported input and output types', async () => {
    const boolInput = await addModel(
      encodeModel({
        name: 'bool_identity',
        inputs: [tensorValue('flag', ElementType.bool, [1])],
        outputs: [tensorValue('flag_out', ElementType.bool, [1])],
        nodes: [node('Identity', ['flag'], ['flag_out'])],
      }),
    )
    expect(
      (
        await failureOf(
          engine.runModelInference({
            mode: 0,
            modelId: boolInput,
            input: { numbers: [numberTensor('flag', [integer(1)])], strings: [] },
          }),
        )
      ).reason,
    ).toBe('Unsupported input type: tensor(bool)')

    const boolOutput = await addModel(
      encodeModel({
        name: 'positive',
        inputs: [tensorValue('x', ElementType.float, [1])],
        outputs: [tensorValue('positive', ElementType.bool, [1])],
        nodes: [node('Cast', ['x'], ['positive'], [intAttribute('to', ElementType.bool)])],
      }),
    )
    expect(
      (
        await failureOf(
          engine.runModelInference({
            mode: 0,
            modelId: boolOutput,
            input: { numbers: [numberTensor('x', [integer(3)])], strings: [] },
          }),
        )
      ).reason,
    ).toBe('Unsupported output type: tensor(bool) (positive)')
  })

  test('error: a stored file that is not a model', async () => {
    const { cid } = await store.add(new TextEncoder().encode('not a model'))
    const error = await failureOf(
      engine.runModelInference({ mode: 0, modelId: cid, input: referenceInput }),
    )
    expect(error.reason).toBe(`Model could not be loaded: ${cid}`)
  })

  test('error: unknown inference mode', async () => {
    const error = await failureOf(
      engine.runModelInference({ mode: 3, modelId: testModelCid, input: referenceInput }),
    )
    expect(error.reason).toBe('Unsupported inference mode: 3')
  })
})

/** Candle rows of the ETH/USDT 1 h file: [open, high, low, close]. */
async function readCandles(): Promise<number[][]> {
  const text = await readFile('/work/shared/data/candles/ETHUSDT-1h.csv', 'utf8')
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').slice(1, 5).map(Number))
}

/** Sample standard deviation (n − 1) of the log returns of the close column, in float64. */
function closeVolatility(rows: readonly (readonly number[])[]): number {
  const closes = rows.map((row) => row[3] ?? Number.NaN)
  const returns = closes.slice(1).map((close, index) => Math.log(close / (closes[index] ?? 1)))
  const mean = returns.reduce((sum, value) => sum + value, 0) / returns.length
  const squares = returns.reduce((sum, value) => sum + (value - mean) ** 2, 0)
  return Math.sqrt(squares / (returns.length - 1))
}

describe('runInferenceOnPriceFeed', () => {
  test('default', async () => {
    const candles = await readCandles()
    // Windows spread over the file, the first one included.
    for (const start of [0, 1_000, 5_432, 10_000, 15_555, 21_000]) {
      const window = candles.slice(start, start + 10)
      const output = await engine.runInferenceOnPriceFeed({
        modelId: volatilityCid,
        inputName: 'open_high_low_close',
        candles: window,
      })
      const [y] = output.numbers
      expect(y?.name).toBe('Y')
      expect(y?.shape).toEqual([1])
      const volatility = fixedPointToNumber(y?.values[0] ?? integer(0))
      const expected = closeVolatility(window)
      // The model works in float32: each price ratio is off by up to ~1e-7, a few 1e-5 of a
      // typical hourly return; the observed error of the deviation is below 1e-5.
      expect(Math.abs(volatility - expected)).toBeLessThan(expected * 1e-4)
    }
  })

  test('args: the reference network id and a mode', async () => {
    const window = (await readCandles()).slice(100, 110)
    const output = await engine.runInferenceOnPriceFeed({
      modelId: 'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
      inputName: 'open_high_low_close',
      candles: window,
      mode: 2,
    })
    expect(output.numbers[0]?.name).toBe('Y')
  })

  test('error: ragged candle rows', async () => {
    const error = await failureOf(
      engine.runInferenceOnPriceFeed({
        modelId: volatilityCid,
        inputName: 'open_high_low_close',
        candles: [
          [1, 2, 3, 4],
          [1, 2, 3],
        ],
      }),
    )
    expect(error.reason).toBe('Candle row 1 has 3 values, expected 4')
  })

  test('error: wrong number of candles', async () => {
    const error = await failureOf(
      engine.runInferenceOnPriceFeed({
        modelId: volatilityCid,
        inputName: 'open_high_low_close',
        candles: (await readCandles()).slice(0, 9),
      }),
    )
    expect(error.reason).toBe(
      'Shape mismatch for input open_high_low_close: got [9,4], model expects [10,4]',
    )
  })

  test('error: input name the model does not have', async () => {
    const error = await failureOf(
      engine.runInferenceOnPriceFeed({
        modelId: volatilityCid,
        inputName: 'prices',
        candles: (await readCandles()).slice(0, 10),
      }),
    )
    expect(error.reason).toBe('Input not found: open_high_low_close')
  })
})
