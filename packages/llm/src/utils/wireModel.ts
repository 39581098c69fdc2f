import { InvalidInputError } from '@opengradient/core'

/**
 * The model id as the gateway expects it: everything after the first `/`, so
 * `anthropic/claude-haiku-4-5` goes out as `claude-haiku-4-5` and `a/b/c` as `b/c`.
 *
 * Throws an `InvalidInputError` for an id without a provider prefix.
 *
 * @example
 * ```ts
 * toWireModel('anthropic/claude-haiku-4-5') // 'claude-haiku-4-5'
 * ```
 */
export function toWireModel(model: string): string {
  const slash = model.indexOf('/')
  if (slash <= 0 || slash === model.length - 1) {
    throw new InvalidInputError(
      `The model id "${model}" has no provider prefix: expected "<provider>/<model>".`,
      { metaMessages: ['Examples: "anthropic/claude-haiku-4-5", "openai/gpt-5", "devnet/tiny".'] },
    )
  }
  return model.slice(slash + 1)
}

/**
 * The provider prefix of a model id (`anthropic` for `anthropic/claude-haiku-4-5`).
 *
 * @example
 * ```ts
 * providerOf('anthropic/claude-haiku-4-5') // 'anthropic'
 * ```
 */
export function providerOf(model: string): string {
  const slash = model.indexOf('/')
  return slash === -1 ? '' : model.slice(0, slash)
}
