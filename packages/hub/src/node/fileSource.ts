import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { InvalidInputError, NotFoundError } from '@opengradient/core'
import type { UploadSource } from '../utils/uploadBody.js'

/**
 * An upload source over a file on disk: read with a file stream in 1 MiB chunks, sized from
 * `stat`, and readable again (so an upload can be repeated after a 401). Fails before any
 * request when the file is missing.
 */
export async function fileSource(path: string): Promise<UploadSource> {
  const info = await stat(path).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new NotFoundError(`Model file not found: "${path}".`, { cause: error })
    }
    throw error
  })
  if (!info.isFile()) throw new InvalidInputError(`"${path}" is not a file.`)
  return {
    open: () => createReadStream(path, { highWaterMark: 1 << 20 })[Symbol.asyncIterator](),
    size: info.size,
    replayable: true,
  }
}
