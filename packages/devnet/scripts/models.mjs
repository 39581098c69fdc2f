// The built-in models of the devnet as ONNX graphs. `build-models.mjs` writes them to `models/`.
import {
  ElementType,
  encodeModel,
  floatInitializer,
  int64Initializer,
  intAttribute,
  intsAttribute,
  node,
  tensorValue,
} from './onnx-builder.mjs'

/**
 * The reference test model (onchain-inference.md §15): numbers are added and passed through,
 * strings are concatenated along axis 0 and passed through.
 */
export function buildTestModel() {
  return encodeModel({
    name: 'test_model',
    docString:
      'num_output1 = num_input1 + num_input2; str_output1 = concat(str_input1, str_input2)',
    inputs: [
      tensorValue('num_input1', ElementType.float, ['n']),
      tensorValue('num_input2', ElementType.float, [1]),
      tensorValue('str_input1', ElementType.string, ['s']),
      tensorValue('str_input2', ElementType.string, [1]),
    ],
    outputs: [
      tensorValue('num_output1', ElementType.float, ['n']),
      tensorValue('num_output2', ElementType.float, [1]),
      tensorValue('str_output1', ElementType.string, ['s_plus_1']),
      tensorValue('str_output2', ElementType.string, [1]),
    ],
    nodes: [
      node('Add', ['num_input1', 'num_input2'], ['num_output1']),
      node('Identity', ['num_input2'], ['num_output2']),
      node('Concat', ['str_input1', 'str_input2'], ['str_output1'], [intAttribute('axis', 0)]),
      node('Identity', ['str_input2'], ['str_output2']),
    ],
  })
}

// Weights come from a fixed integer sequence, so they are exact short decimals and the same on
// every machine; no floating-point function is involved.
function sequence(count, seed) {
  const values = []
  let state = seed
  for (let index = 0; index < count; index++) {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff
    values.push(((state >>> 8) % 201) / 100 - 1)
  }
  return values
}

/**
 * Parameters of the built-in MLP: `hidden = relu(x · w1 + b1)`,
 * `probabilities = softmax(hidden · w2 + b2)`. Matrices are row-major, `w1` is [4, 8] and `w2`
 * is [8, 3].
 */
export const mlpParameters = Object.freeze({
  inputSize: 4,
  hiddenSize: 8,
  outputSize: 3,
  w1: sequence(4 * 8, 1),
  b1: sequence(8, 2),
  w2: sequence(8 * 3, 3),
  b2: sequence(3, 4),
})

/** A small classifier: x float[1, 4] → Gemm → Relu → Gemm → Softmax → probabilities float[1, 3]. */
export function buildMlpModel() {
  const { inputSize, hiddenSize, outputSize, w1, b1, w2, b2 } = mlpParameters
  return encodeModel({
    name: 'mlp',
    docString: 'probabilities = softmax(relu(x * w1 + b1) * w2 + b2)',
    inputs: [tensorValue('x', ElementType.float, [1, inputSize])],
    outputs: [tensorValue('probabilities', ElementType.float, [1, outputSize])],
    initializers: [
      floatInitializer('w1', [inputSize, hiddenSize], w1),
      floatInitializer('b1', [hiddenSize], b1),
      floatInitializer('w2', [hiddenSize, outputSize], w2),
      floatInitializer('b2', [outputSize], b2),
    ],
    nodes: [
      node('Gemm', ['x', 'w1', 'b1'], ['hidden_linear']),
      node('Relu', ['hidden_linear'], ['hidden']),
      node('Gemm', ['hidden', 'w2', 'b2'], ['logits']),
      node('Softmax', ['logits'], ['probabilities'], [intAttribute('axis', -1)]),
    ],
  })
}

/** Number of candles the volatility model reads. */
export const volatilityCandles = 10

/**
 * ETH/USDT 1 h volatility: from 10 candles × [OPEN, HIGH, LOW, CLOSE] (oldest first), the
 * sample standard deviation (n − 1) of the 9 log returns `ln(close[i] / close[i − 1])`.
 */
export function buildVolatilityModel() {
  const candles = volatilityCandles
  const returns = candles - 1
  return encodeModel({
    name: 'eth_usdt_1h_volatility',
    docString:
      'Y = sample standard deviation of ln(close[i] / close[i-1]) over 10 candles of OPEN, HIGH, LOW, CLOSE',
    inputs: [tensorValue('open_high_low_close', ElementType.float, [candles, 4])],
    outputs: [tensorValue('Y', ElementType.float, [1])],
    initializers: [
      int64Initializer('close_column_start', [1], [3]),
      int64Initializer('close_column_end', [1], [4]),
      int64Initializer('column_axis', [1], [1]),
      int64Initializer('row_axis', [1], [0]),
      int64Initializer('first_row', [1], [0]),
      int64Initializer('second_row', [1], [1]),
      int64Initializer('last_row_end', [1], [candles]),
      int64Initializer('before_last_row_end', [1], [candles - 1]),
      int64Initializer('all_axes', [2], [0, 1]),
      floatInitializer('degrees_of_freedom', [], [returns - 1]),
      int64Initializer('output_shape', [1], [1]),
    ],
    nodes: [
      node(
        'Slice',
        ['open_high_low_close', 'close_column_start', 'close_column_end', 'column_axis'],
        ['close'],
      ),
      node('Slice', ['close', 'second_row', 'last_row_end', 'row_axis'], ['current_close']),
      node('Slice', ['close', 'first_row', 'before_last_row_end', 'row_axis'], ['previous_close']),
      node('Div', ['current_close', 'previous_close'], ['price_ratio']),
      node('Log', ['price_ratio'], ['log_returns']),
      node(
        'ReduceMean',
        ['log_returns'],
        ['mean_return'],
        [intsAttribute('axes', [0, 1]), intAttribute('keepdims', 1)],
      ),
      node('Sub', ['log_returns', 'mean_return'], ['deviations']),
      node('Mul', ['deviations', 'deviations'], ['squared_deviations']),
      node(
        'ReduceSum',
        ['squared_deviations', 'all_axes'],
        ['sum_of_squares'],
        [intAttribute('keepdims', 0)],
      ),
      node('Div', ['sum_of_squares', 'degrees_of_freedom'], ['variance']),
      node('Sqrt', ['variance'], ['standard_deviation']),
      node('Reshape', ['standard_deviation', 'output_shape'], ['Y']),
    ],
  })
}

/** File names under `models/` and their builders. */
export const builtinModelBuilders = Object.freeze({
  'test-model.onnx': buildTestModel,
  'mlp.onnx': buildMlpModel,
  'eth-volatility.onnx': buildVolatilityModel,
})
