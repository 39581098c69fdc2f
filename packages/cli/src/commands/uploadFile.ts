import { resolve } from 'node:path'
import { uploadFile as uploadFromPath } from '@opengradient/hub/node'
import type { CommandContext } from '../context.js'
import { createProgress, openHub } from '../hub.js'
import { toJsonText } from '../json.js'

export type UploadFileOptions = { repo: string; version: string }

/**
 * `og upload-file FILE`: uploads a file into a version, streamed from disk. Shows a progress
 * bar on a terminal and a line per 10 % otherwise (on stderr).
 *
 * @example
 * ```sh
 * og upload-file model.onnx --repo my-model --version 0.01
 * # File uploaded successfully: {"modelCid":"Qm…","size":1234}
 * ```
 */
export async function uploadFile(
  context: CommandContext,
  file: string,
  options: UploadFileOptions,
): Promise<void> {
  const hub = await openHub(context, { signIn: true })
  const progress = createProgress(context, 'Uploading')
  try {
    const { modelCid, size } = await uploadFromPath(hub.client, {
      model: options.repo,
      version: options.version,
      path: resolve(file),
      onProgress: ({ loaded, total }) => progress.update(loaded, total),
    })
    progress.done()
    if (context.json) context.printJson({ modelCid, size })
    else context.print(`File uploaded successfully: ${toJsonText({ modelCid, size })}`)
  } finally {
    await hub.flush()
  }
}
