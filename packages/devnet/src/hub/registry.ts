// The devnet hub's metadata: repositories, versions and files, kept in memory and made
// durable by the journal. File bytes live in the devnet's model store.
import { openJournal } from './journal.js'

export type HubFileRecord = { name: string; size: number; ipfsCid: string; createdAt: string }

export type HubVersionRecord = {
  versionString: string
  notes: string | null
  isMajor: boolean
  createdAt: string
  files: Map<string, HubFileRecord>
}

export type HubModelRecord = {
  name: string
  description: string
  /** The owner's email, as the hub shows it. */
  author: string
  authorId: string
  createdAt: string
  versions: Map<string, HubVersionRecord>
  /** The last version, in hundredths (`0.01` is 1), for numbering the next one. */
  lastVersion: number
}

/** One line of the journal. */
export type HubJournalRecord =
  | {
      type: 'model'
      name: string
      description: string
      author: string
      authorId: string
      at: string
    }
  | {
      type: 'version'
      model: string
      versionString: string
      notes: string | null
      isMajor: boolean
      at: string
    }
  | {
      type: 'file'
      model: string
      version: string
      name: string
      size: number
      ipfsCid: string
      at: string
    }

export type HubRegistry = {
  getModel(name: string): HubModelRecord | undefined
  /** Repositories, oldest first. */
  listModels(): HubModelRecord[]
  /** Creates a repository; `undefined` when the name is taken. */
  createModel(parameters: {
    name: string
    description: string
    author: string
    authorId: string
  }): Promise<HubModelRecord | undefined>
  /** Creates the next version: minor (`0.01` → `0.02`) or major (`0.02` → `1.00`). */
  createVersion(parameters: {
    model: HubModelRecord
    notes: string | null
    isMajor: boolean
  }): Promise<HubVersionRecord>
  /** Records a stored file in a version; a file of the same name is replaced. */
  addFile(parameters: {
    model: HubModelRecord
    version: HubVersionRecord
    name: string
    size: number
    ipfsCid: string
  }): Promise<HubFileRecord>
  close(): Promise<void>
}

/**
 * Opens the hub registry of a journal file, replaying it.
 *
 * Every change is journaled (written and flushed) before it shows in memory, so nothing a
 * client was told about is lost, and a change that failed to journal is not seen. Changes run
 * one at a time, so concurrent requests cannot create the same name or version twice.
 *
 * @example
 * ```ts
 * const registry = await openHubRegistry({ file: join(dataDir, 'hub', 'journal.jsonl') })
 * await registry.createModel({ name: 'mlp', description: '', author: 'dev@example.com', authorId })
 * ```
 */
export async function openHubRegistry(parameters: { file: string }): Promise<HubRegistry> {
  const journal = await openJournal<HubJournalRecord>({ file: parameters.file })
  const models = new Map<string, HubModelRecord>()

  function apply(record: HubJournalRecord): void {
    if (record.type === 'model') {
      models.set(record.name, {
        name: record.name,
        description: record.description,
        author: record.author,
        authorId: record.authorId,
        createdAt: record.at,
        versions: new Map(),
        lastVersion: 0,
      })
      return
    }
    const model = models.get(record.model)
    if (!model) return
    if (record.type === 'version') {
      model.versions.set(record.versionString, {
        versionString: record.versionString,
        notes: record.notes,
        isMajor: record.isMajor,
        createdAt: record.at,
        files: new Map(),
      })
      model.lastVersion = Math.max(model.lastVersion, hundredths(record.versionString))
      return
    }
    model.versions.get(record.version)?.files.set(record.name, {
      name: record.name,
      size: record.size,
      ipfsCid: record.ipfsCid,
      createdAt: record.at,
    })
  }

  for (const record of journal.records) apply(record)

  let changes: Promise<unknown> = Promise.resolve()
  function change<T>(run: () => Promise<T>): Promise<T> {
    const next = changes.catch(() => undefined).then(run)
    changes = next
    return next
  }

  async function commit(record: HubJournalRecord): Promise<void> {
    await journal.append(record)
    apply(record)
  }

  return {
    getModel: (name) => models.get(name),
    listModels: () => [...models.values()],
    createModel: (model) =>
      change(async () => {
        if (models.has(model.name)) return undefined
        await commit({ type: 'model', ...model, at: new Date().toISOString() })
        return models.get(model.name)
      }),
    createVersion: ({ model, notes, isMajor }) =>
      change(async () => {
        const last = model.lastVersion
        const next = isMajor ? (Math.floor(last / 100) + 1) * 100 : last + 1
        const versionString = formatVersion(next)
        await commit({
          type: 'version',
          model: model.name,
          versionString,
          notes,
          isMajor,
          at: new Date().toISOString(),
        })
        return model.versions.get(versionString)!
      }),
    addFile: ({ model, version, name, size, ipfsCid }) =>
      change(async () => {
        await commit({
          type: 'file',
          model: model.name,
          version: version.versionString,
          name,
          size,
          ipfsCid,
          at: new Date().toISOString(),
        })
        return version.files.get(name)!
      }),
    close: () => journal.close(),
  }
}

/** `0.01` → 1, `1.00` → 100. */
function hundredths(versionString: string): number {
  const [major = '0', minor = '0'] = versionString.split('.')
  const value = Number(major) * 100 + Number(minor)
  return Number.isFinite(value) ? value : 0
}

/** 1 → `0.01`, 100 → `1.00`. */
function formatVersion(value: number): string {
  return `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`
}
