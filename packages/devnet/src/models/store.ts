// Content-addressed model files on disk: `<dir>/blobs/<cid>` plus an index in `<dir>/models.json`.
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { type FileHandle, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { InvalidInputError, NotFoundError } from '@opengradient/core'
import { computeModelCid } from './cid.js'
import { type ModelTensorSignature, readModelSignature } from './onnxSignature.js'

/** What the store knows of one model file. */
export type StoredModel = {
  /** The IPFS content id of the file (`ipfs add` with Kubo defaults). */
  cid: string
  /** A friendly name given when the file was added. */
  name: string | undefined
  /** File size in bytes. */
  size: number
  /** When the file was first added, ISO 8601. */
  addedAt: string
  /** `onnx` when onnxruntime can load the file, else `other`. */
  format: 'onnx' | 'other'
  /** Declared inputs, in session order (ONNX files only). */
  inputs: ModelTensorSignature[] | undefined
  /** Declared outputs, in session order (ONNX files only). */
  outputs: ModelTensorSignature[] | undefined
}

/** Where the bytes of {@link ModelStore.add} come from. */
export type ModelSource = Uint8Array | string | AsyncIterable<Uint8Array>

/** Options of {@link ModelStore.add}. */
export type AddModelOptions = {
  /** A friendly name kept with the file. A later add of the same bytes with a name replaces it. */
  name?: string | undefined
  /** Stops the add; nothing of it stays on disk. */
  signal?: AbortSignal | undefined
}

/** A directory of model files addressed by their IPFS content id. */
export type ModelStore = {
  /** The store's directory. */
  readonly dir: string
  /**
   * Adds a file: bytes, a file path, or a stream. The same bytes always get the same id; adding
   * them again only updates the name.
   */
  add(source: ModelSource, options?: AddModelOptions): Promise<StoredModel>
  /**
   * Makes `id` another name of the stored model `cid`, e.g. the id a model has on the real
   * network. Every method accepting a cid accepts an alias.
   */
  alias(id: string, cid: string): Promise<void>
  /** Whether a model with that id is stored. */
  has(cid: string): Promise<boolean>
  /** The file of a stored model; throws `NotFoundError` when there is none. */
  path(cid: string): Promise<string>
  /** The bytes of a stored model. */
  get(cid: string): Promise<Uint8Array>
  /** All stored models, oldest first. */
  list(): Promise<StoredModel[]>
  /** What the store knows of one model; throws `NotFoundError` when there is none. */
  stat(cid: string): Promise<StoredModel>
}

/** Parameters of {@link createModelStore}. */
export type CreateModelStoreParameters = {
  /** Directory of the store; created when missing. */
  dir: string
}

type Index = { version: 1; models: Record<string, StoredModel>; aliases: Record<string, string> }

// Model ids come from transactions. Only plain CID characters may reach a file path.
const modelIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/

// Index updates of every store object on the same directory run one after another.
const indexLocks = new Map<string, Promise<unknown>>()

/**
 * Opens (or creates) a content-addressed model store in `dir`.
 *
 * Adding streams the bytes into a temporary file while hashing them, then renames the file to
 * `blobs/<cid>`, so a reader never sees a partial file and an interrupted add leaves nothing
 * behind. The index `models.json` is rewritten through a temporary file, fsync and rename.
 *
 * @example
 * ```ts
 * const store = createModelStore({ dir: '/var/lib/devnet/models' })
 * const model = await store.add('./mlp.onnx', { name: 'mlp' })
 * model.cid // 'Qm…'
 * model.inputs // [{ name: 'x', type: 'tensor(float)', shape: [1, 4] }]
 * await store.path(model.cid) // '/var/lib/devnet/models/blobs/Qm…'
 * ```
 */
export function createModelStore(parameters: CreateModelStoreParameters): ModelStore {
  const dir = resolve(parameters.dir)
  const blobsDir = join(dir, 'blobs')
  const tmpDir = join(dir, 'tmp')
  const indexFile = join(dir, 'models.json')

  const blobPath = (cid: string) => join(blobsDir, cid)

  async function readIndex(): Promise<Index> {
    let text: string
    try {
      text = await readFile(indexFile, 'utf8')
    } catch (error) {
      if (isMissingFile(error)) return { version: 1, models: {}, aliases: {} }
      throw error
    }
    const parsed = JSON.parse(text) as Partial<Index>
    return { version: 1, models: parsed.models ?? {}, aliases: parsed.aliases ?? {} }
  }

  async function findModel(id: string): Promise<StoredModel | undefined> {
    if (!modelIdPattern.test(id)) return undefined
    const index = await readIndex()
    const model = own(index.models, id) ?? own(index.models, own(index.aliases, id) ?? '')
    if (!model || !(await fileExists(blobPath(model.cid)))) return undefined
    return model
  }

  async function requireModel(cid: string): Promise<StoredModel> {
    const model = await findModel(cid)
    if (!model) {
      throw new NotFoundError(`Model "${cid}" is not in the model store.`, {
        metaMessages: [`Store: ${dir}`],
      })
    }
    return model
  }

  function updateIndex(update: (index: Index) => void): Promise<void> {
    const previous = indexLocks.get(dir) ?? Promise.resolve()
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const index = await readIndex()
        update(index)
        await writeFileAtomic(indexFile, `${JSON.stringify(index, null, 2)}\n`, tmpDir)
      })
    indexLocks.set(dir, next)
    void next.finally(() => {
      if (indexLocks.get(dir) === next) indexLocks.delete(dir)
    })
    return next
  }

  async function add(source: ModelSource, options: AddModelOptions = {}): Promise<StoredModel> {
    const { name, signal } = options
    signal?.throwIfAborted()
    await mkdir(blobsDir, { recursive: true })
    await mkdir(tmpDir, { recursive: true })
    const partFile = join(tmpDir, `${randomBytes(12).toString('hex')}.part`)
    let cid: string
    let size: number
    try {
      ;({ cid, size } = await writeAndHash(source, partFile, signal))
      signal?.throwIfAborted()
      if (await fileExists(blobPath(cid))) await rm(partFile, { force: true })
      else await rename(partFile, blobPath(cid))
    } catch (error) {
      await rm(partFile, { force: true })
      throw error
    }

    const existing = own((await readIndex()).models, cid)
    const signature = existing
      ? existing.format === 'onnx'
        ? { inputs: existing.inputs ?? [], outputs: existing.outputs ?? [] }
        : undefined
      : await readModelSignature(blobPath(cid))
    let stored: StoredModel | undefined
    await updateIndex((index) => {
      const current = own(index.models, cid)
      stored = {
        cid,
        name: name ?? current?.name,
        size,
        addedAt: current?.addedAt ?? new Date().toISOString(),
        format: signature ? 'onnx' : 'other',
        inputs: signature?.inputs,
        outputs: signature?.outputs,
      }
      index.models[cid] = stored
    })
    return stored!
  }

  async function alias(id: string, cid: string): Promise<void> {
    if (!modelIdPattern.test(id)) {
      throw new InvalidInputError(`"${id}" cannot be a model id: use letters, digits, - and _.`)
    }
    const model = await requireModel(cid)
    await updateIndex((index) => {
      if (own(index.models, id) && id !== model.cid) {
        throw new InvalidInputError(`"${id}" is the id of a stored model, not a free alias.`)
      }
      if (id !== model.cid) index.aliases[id] = model.cid
    })
  }

  return {
    dir,
    add,
    alias,
    has: async (cid) => (await findModel(cid)) !== undefined,
    path: async (cid) => blobPath((await requireModel(cid)).cid),
    get: async (cid) => new Uint8Array(await readFile(blobPath((await requireModel(cid)).cid))),
    list: async () => {
      const models = Object.values((await readIndex()).models)
      const present = await Promise.all(models.map((model) => fileExists(blobPath(model.cid))))
      return models
        .filter((_, index) => present[index])
        .sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.cid.localeCompare(b.cid))
    },
    stat: requireModel,
  }
}

/** Copies the source into `partFile` and computes its CID from the same bytes, in one pass. */
async function writeAndHash(
  source: ModelSource,
  partFile: string,
  signal: AbortSignal | undefined,
): Promise<{ cid: string; size: number }> {
  const chunks = source instanceof Uint8Array ? undefined : await openStream(source, signal)
  const handle = await open(partFile, 'wx')
  try {
    let cid: string
    let size = 0
    if (chunks) {
      async function* copied(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
        for await (const chunk of source) {
          signal?.throwIfAborted()
          if (!(chunk instanceof Uint8Array)) {
            throw new InvalidInputError('A model stream must yield Uint8Array chunks.')
          }
          await writeAll(handle, chunk)
          size += chunk.byteLength
          // The chunker may hold a chunk until its block is full: copy in case the producer
          // reuses its buffer.
          yield new Uint8Array(chunk)
        }
      }
      cid = await computeModelCid(copied(chunks))
    } else {
      const bytes = source as Uint8Array
      cid = await computeModelCid(bytes)
      await writeAll(handle, bytes)
      size = bytes.byteLength
    }
    await handle.sync()
    return { cid, size }
  } finally {
    await handle.close()
  }
}

async function openStream(
  source: string | AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
): Promise<AsyncIterable<Uint8Array>> {
  if (typeof source === 'string') {
    const info = await stat(source).catch((error: unknown) => {
      if (isMissingFile(error)) {
        throw new NotFoundError(`Model file "${source}" does not exist.`, { cause: error })
      }
      throw error
    })
    if (!info.isFile()) throw new InvalidInputError(`"${source}" is not a file.`)
    return createReadStream(source, signal ? { signal } : {})
  }
  if (source && typeof source === 'object' && Symbol.asyncIterator in source) return source
  throw new InvalidInputError(
    'A model source must be bytes (Uint8Array), a file path or an async iterable of bytes.',
  )
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset)
    offset += bytesWritten
  }
}

/** Replaces `file` with `contents` so that readers see the old or the new file, never a mix. */
async function writeFileAtomic(file: string, contents: string, tmpDir: string): Promise<void> {
  await mkdir(tmpDir, { recursive: true })
  const tmpFile = join(tmpDir, `${randomBytes(12).toString('hex')}.json`)
  try {
    const handle = await open(tmpFile, 'wx')
    try {
      await handle.writeFile(contents, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmpFile, file)
  } catch (error) {
    await rm(tmpFile, { force: true })
    throw error
  }
}

async function fileExists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile()
  } catch (error) {
    if (isMissingFile(error)) return false
    throw error
  }
}

/** A record's own entry only: ids such as `constructor` must not find `Object.prototype`'s. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

function isMissingFile(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT'
}
