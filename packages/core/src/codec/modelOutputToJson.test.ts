import { expect, test } from 'vitest'
import { decodeModelOutput } from './decodeModelOutput.js'
import { modelOutputToJson } from './modelOutputToJson.js'

test('default', () => {
  const output = decodeModelOutput({
    numbers: [
      {
        name: 'Y',
        values: [{ value: 3774157376028597354888916016n, decimals: 31n }],
        shape: [1],
      },
    ],
    strings: [{ name: 'greeting', values: ['hello'] }],
    jsons: [{ name: 'meta', value: '{"ok":true}' }],
    is_simulation_result: false,
  })
  expect(JSON.stringify(modelOutputToJson(output))).toMatchInlineSnapshot(
    `"{"numbers":{"Y":{"shape":[1],"data":[0.00037741573760285974],"raw":[{"value":"3774157376028597354888916016","decimals":"31"}]}},"strings":{"greeting":{"shape":[1],"data":["hello"]}},"jsons":{"meta":{"ok":true}},"isSimulationResult":false}"`,
  )
})

test('behavior: bigints inside JSON values become text', () => {
  const json = modelOutputToJson({
    numbers: {},
    strings: {},
    jsons: { meta: { id: 12345678901234567890n, list: [1n, 'a'] } },
    isSimulationResult: true,
  })
  expect(json).toEqual({
    numbers: {},
    strings: {},
    jsons: { meta: { id: '12345678901234567890', list: ['1', 'a'] } },
    isSimulationResult: true,
  })
})

test('behavior: the copy does not share arrays with the output', () => {
  const output = decodeModelOutput({
    numbers: [{ name: 'y', values: [{ value: 1n, decimals: 0n }], shape: [1] }],
  })
  const json = modelOutputToJson(output)
  json.numbers.y?.data.push(2)
  expect(output.numbers.y?.data).toEqual([1])
})
