import { BaseError, type BaseErrorParameters } from './base.js'

/** Where in an input the bad value sits. */
export type InvalidInputLocation = {
  /** Name of the tensor (or parameter) that holds the bad value. */
  tensorName?: string | undefined
  /** Row-major flat index of the bad element inside the tensor, or its nested path. */
  index?: number | readonly number[] | undefined
}

export type InvalidInputErrorType = InvalidInputError & { name: 'InvalidInputError' }

/**
 * Input that cannot be sent as given: NaN, a ragged array, a value out of range, a missing
 * parameter. The message says what to fix; `tensorName` and `index` say where.
 *
 * @example
 * ```ts
 * try {
 *   encodeModelInput({ x: [1, Number.NaN] })
 * } catch (error) {
 *   if (error instanceof InvalidInputError) console.log(error.tensorName, error.index) // 'x' 1
 * }
 * ```
 */
export class InvalidInputError extends BaseError {
  override name = 'InvalidInputError' as const
  readonly tensorName: string | undefined
  readonly index: number | readonly number[] | undefined

  constructor(shortMessage: string, parameters: BaseErrorParameters & InvalidInputLocation = {}) {
    const { tensorName, index, ...rest } = parameters
    const where = [
      ...(tensorName !== undefined ? [`Tensor: "${tensorName}"`] : []),
      ...(index !== undefined
        ? [`Index: ${Array.isArray(index) ? `[${index.join(', ')}]` : index}`]
        : []),
    ]
    super(shortMessage, { ...rest, metaMessages: [...where, ...(rest.metaMessages ?? [])] })
    this.tensorName = tensorName
    this.index = index
  }
}
