import { BaseError, type BaseErrorParameters } from '@opengradient/core'

export type ImageGenerationErrorType = ImageGenerationError & { name: 'ImageGenerationError' }

/**
 * Image generation failed: the server reported an error (its message in `serverMessage`), the
 * service could not be reached after every retry (the gRPC status in `grpcCode`), or the reply
 * carried no image.
 *
 * @example
 * ```ts
 * try {
 *   await generateImage({ model: 'devnet/image', prompt: 'a red car' })
 * } catch (error) {
 *   if (error instanceof ImageGenerationError) console.error(error.serverMessage ?? error.shortMessage)
 * }
 * ```
 */
export class ImageGenerationError extends BaseError {
  override name = 'ImageGenerationError' as const
  readonly model: string
  /** The server's own explanation (`InferenceStatus.error_message`), when it gave one. */
  readonly serverMessage: string | undefined
  /** gRPC status code of the last failed call, when the failure was a call's. */
  readonly grpcCode: number | undefined

  constructor(
    shortMessage: string,
    parameters: BaseErrorParameters & {
      model: string
      serverMessage?: string | undefined
      grpcCode?: number | undefined
    },
  ) {
    const { model, serverMessage, grpcCode, ...rest } = parameters
    super(shortMessage, {
      ...rest,
      details: rest.details ?? serverMessage,
      metaMessages: [`Model: "${model}"`, ...(rest.metaMessages ?? [])],
    })
    this.model = model
    this.serverMessage = serverMessage
    this.grpcCode = grpcCode
  }
}
