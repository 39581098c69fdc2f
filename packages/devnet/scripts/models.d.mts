// Types of models.mjs, for the tests that check the committed models against their builders.

export declare function buildTestModel(): Uint8Array
export declare function buildMlpModel(): Uint8Array
export declare function buildVolatilityModel(): Uint8Array

export declare const mlpParameters: Readonly<{
  inputSize: number
  hiddenSize: number
  outputSize: number
  w1: readonly number[]
  b1: readonly number[]
  w2: readonly number[]
  b2: readonly number[]
}>

export declare const volatilityCandles: number

export declare const builtinModelBuilders: Readonly<Record<string, () => Uint8Array>>
