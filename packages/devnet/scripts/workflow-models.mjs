// The models behind the devnet's look-alikes of the pre-deployed forecast workflows, as ONNX
// graphs. `build-workflow-models.mjs` writes them to `models/`.
import {
  ElementType,
  encodeModel,
  int64Initializer,
  intAttribute,
  node,
  tensorValue,
} from './onnx-builder.mjs'

/**
 * A one-hour return forecast by momentum: from `n` candles × [OPEN, HIGH, LOW, CLOSE] (oldest
 * first), the mean of the `n − 1` log returns `ln(close[i] / close[i − 1])`, as a float[1] named
 * `outputName`. The reference forecast workflows name it `regression_output` (1 h) or
 * `destandardized_prediction` (SUI 30 min and 6 h).
 */
export function buildPriceForecastModel(outputName) {
  return encodeModel({
    name: 'price_forecast',
    docString: `${outputName} = mean of ln(close[i] / close[i-1]) over the candles of OPEN, HIGH, LOW, CLOSE`,
    inputs: [tensorValue('candles', ElementType.float, ['n', 4])],
    outputs: [tensorValue(outputName, ElementType.float, [1])],
    initializers: [
      int64Initializer('close_column_start', [1], [3]),
      int64Initializer('close_column_end', [1], [4]),
      int64Initializer('column_axis', [1], [1]),
      int64Initializer('row_axis', [1], [0]),
      int64Initializer('first_row', [1], [0]),
      int64Initializer('second_row', [1], [1]),
      int64Initializer('all_rows_end', [1], [2n ** 62n]),
      int64Initializer('before_last_row_end', [1], [-1]),
      int64Initializer('output_shape', [1], [1]),
    ],
    nodes: [
      node(
        'Slice',
        ['candles', 'close_column_start', 'close_column_end', 'column_axis'],
        ['close'],
      ),
      node('Slice', ['close', 'second_row', 'all_rows_end', 'row_axis'], ['current_close']),
      node('Slice', ['close', 'first_row', 'before_last_row_end', 'row_axis'], ['previous_close']),
      node('Div', ['current_close', 'previous_close'], ['price_ratio']),
      node('Log', ['price_ratio'], ['log_returns']),
      node('ReduceMean', ['log_returns'], ['mean_return'], [intAttribute('keepdims', 0)]),
      node('Reshape', ['mean_return', 'output_shape'], [outputName]),
    ],
  })
}

/** File names under `models/` and their builders. */
export const workflowModelBuilders = Object.freeze({
  'price-forecast.onnx': () => buildPriceForecastModel('regression_output'),
  'price-forecast-destandardized.onnx': () => buildPriceForecastModel('destandardized_prediction'),
})
