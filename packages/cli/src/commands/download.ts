import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import type { CommandContext } from '../context.js'
import { createProgress, openHub } from '../hub.js'

export type DownloadOptions = {
  cid: string
  out?: string | undefined
  gateway?: string | undefined
}

/**
 * `og download --cid CID`: downloads a file from the IPFS gateway of the network (or
 * `--gateway`) and checks it against its content id. The bytes go to a temporary file that is
 * renamed to `--out` (default `./<cid>`) only once they matched; tampered bytes leave nothing.
 *
 * @example
 * ```sh
 * og --network devnet download --cid QmQ9at5ASmwKgn1a4zULEbyPYfcfd4mmojevrvBEHrA3vH --out mlp.onnx
 * ```
 */
export async function download(context: CommandContext, options: DownloadOptions): Promise<void> {
  const hub = await openHub(context, { signIn: false })
  const path = resolve(options.out ?? options.cid)
  const partial = join(dirname(path), `.${basename(path)}.${process.pid}.part`)
  const progress = createProgress(context, 'Downloading')
  try {
    const { stream } = await hub.client.downloadFile({
      cid: options.cid,
      gateway: options.gateway,
      onProgress: ({ loaded, total }) => progress.update(loaded, total),
    })
    let size = 0
    const counted = stream.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength
          controller.enqueue(chunk)
        },
      }),
    )
    await counted.pipeTo(Writable.toWeb(createWriteStream(partial, { mode: 0o644 })))
    await rename(partial, path)
    progress.done()
    if (context.json) context.printJson({ cid: options.cid, path, size })
    else
      context.print(`Downloaded ${options.cid} to ${path} (${size} bytes); its content id matches.`)
  } catch (error) {
    progress.done()
    await rm(partial, { force: true })
    throw error
  }
}
