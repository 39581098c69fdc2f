import { expect, test } from 'vitest'
import * as image from './image.js'

test('exports', () => {
  expect(Object.keys(image).sort()).toMatchInlineSnapshot(`
    [
      "ImageGenerationError",
      "InferenceStatusCode",
      "decodeDataUri",
      "decodeInferenceRequest",
      "decodeInferenceResult",
      "decodeInferenceStatus",
      "decodeInferenceTxId",
      "defaultImageGenerationHost",
      "encodeInferenceRequest",
      "encodeInferenceResult",
      "encodeInferenceStatus",
      "encodeInferenceTxId",
      "generateImage",
      "inferenceServiceDefinition",
      "inferenceServicePaths",
      "sniffImageMediaType",
    ]
  `)
})
