// Types of tiny-lm.mjs, for the tests that check the committed model against its rebuild.

export declare const endToken: number
export declare const endTokenText: string
export declare const candidateCount: number
export declare const tokenPattern: RegExp
export declare function tokenize(text: string): string[]
export declare function readCorpus(): string[]
export declare function buildVocabulary(documents?: readonly string[]): string[]
export declare function buildTinyLm(): {
  onnx: Uint8Array
  vocabulary: string[]
  topics: string[]
}
export declare function vocabularyText(
  vocabulary: readonly string[],
  topics: readonly string[],
): string
