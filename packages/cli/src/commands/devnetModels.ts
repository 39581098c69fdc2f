import { basename, join, resolve } from 'node:path'
import { createModelStore, installBuiltinModels } from '@opengradient/devnet'
import type { CommandContext } from '../context.js'
import { defaultDevnetDataDir } from './devnet.js'

export type DevnetModelsOptions = { dataDir?: string | undefined; name?: string | undefined }

function modelStoreOf(context: CommandContext, options: DevnetModelsOptions) {
  const dataDir = options.dataDir ? resolve(options.dataDir) : defaultDevnetDataDir(context)
  return createModelStore({ dir: join(dataDir, 'models') })
}

/** `og devnet models add FILE`: adds an ONNX (or any) file to the devnet's model store. */
export async function devnetModelsAdd(
  context: CommandContext,
  file: string,
  options: DevnetModelsOptions,
): Promise<void> {
  const store = modelStoreOf(context, options)
  const path = resolve(file)
  const model = await store.add(path, {
    name: options.name ?? basename(path).replace(/\.onnx$/, ''),
  })
  if (context.json) {
    context.printJson({ cid: model.cid, name: model.name ?? null, size: model.size })
    return
  }
  context.print(`Added model "${model.name}" (${model.size} bytes)`)
  context.print(`CID: ${model.cid}`)
}

/** `og devnet models list`: every model of the devnet with its CID, name and input names. */
export async function devnetModelsList(
  context: CommandContext,
  options: DevnetModelsOptions,
): Promise<void> {
  const store = modelStoreOf(context, options)
  await installBuiltinModels(store)
  const models = await store.list()
  if (context.json) {
    context.printJson(
      models.map((model) => ({
        cid: model.cid,
        name: model.name ?? null,
        size: model.size,
        inputs: model.inputs?.map((input) => input.name) ?? [],
        outputs: model.outputs?.map((output) => output.name) ?? [],
      })),
    )
    return
  }
  for (const model of models) {
    const inputs = model.inputs?.map((input) => input.name).join(', ') ?? '(not an ONNX model)'
    context.print(`${model.cid}  ${model.name ?? '(unnamed)'}  inputs: ${inputs}`)
  }
}
