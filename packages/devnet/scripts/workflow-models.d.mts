// Types of workflow-models.mjs, for the tests that check the committed models against their builders.

export declare function buildPriceForecastModel(outputName: string): Uint8Array

export declare const workflowModelBuilders: Readonly<Record<string, () => Uint8Array>>
