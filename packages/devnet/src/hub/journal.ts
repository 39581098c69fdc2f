// An append-only journal of JSON lines, flushed to disk before each append is acknowledged.
import { randomBytes } from 'node:crypto'
import { type FileHandle, mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { BaseError } from '@opengradient/core'

/** An open journal: the records replayed at open, and appends. */
export type Journal<Record> = {
  /** The records found at open, oldest first. */
  readonly records: readonly Record[]
  /**
   * Appends one record. Resolves once the line is written and `fdatasync`ed: an acknowledged
   * record survives a crash of the process or of the machine. Appends run one at a time, in
   * call order.
   */
  append(record: Record): Promise<void>
  close(): Promise<void>
}

/**
 * Opens (or creates) a journal file and replays it.
 *
 * A crash can leave only the last line incomplete (appends are sequential and each is flushed
 * before the next starts); such a line was never acknowledged, so it is dropped and cut from
 * the file. Any other unreadable line is corruption and fails the open. A failed append (disk
 * full) cuts its partial line, so the file stays readable.
 *
 * @example
 * ```ts
 * const journal = await openJournal<{ type: string }>({ file: '/tmp/devnet/hub/journal.jsonl' })
 * for (const record of journal.records) apply(record)
 * await journal.append({ type: 'model' })
 * ```
 */
export async function openJournal<Record>(parameters: { file: string }): Promise<Journal<Record>> {
  const { file } = parameters
  await mkdir(dirname(file), { recursive: true })
  let text: string | undefined
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error
  }
  if (text === undefined) await createEmpty(file)

  const records: Record[] = []
  let validLength = 0
  if (text) {
    const complete = text.slice(0, text.lastIndexOf('\n') + 1)
    const lines = complete.split('\n').slice(0, -1)
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue
      try {
        records.push(JSON.parse(line) as Record)
      } catch (error) {
        throw new BaseError(`The journal is corrupt at line ${index + 1}.`, {
          cause: error,
          metaMessages: [`Journal: ${file}`, 'Only the last line can be torn by a crash.'],
        })
      }
    }
    validLength = Buffer.byteLength(complete)
  }

  const handle: FileHandle = await open(file, 'r+')
  // Drop a torn last line, so the next append starts on a line of its own.
  if (text !== undefined && validLength !== Buffer.byteLength(text)) {
    await handle.truncate(validLength)
    await handle.datasync()
  }
  let size = validLength
  let queue: Promise<void> = Promise.resolve()
  let closed = false

  return {
    records,
    append(record) {
      const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8')
      const write = queue.then(async () => {
        if (closed)
          throw new BaseError('The journal is closed.', { metaMessages: [`Journal: ${file}`] })
        try {
          let offset = 0
          while (offset < line.length) {
            const { bytesWritten } = await handle.write(
              line,
              offset,
              line.length - offset,
              size + offset,
            )
            offset += bytesWritten
          }
          await handle.datasync()
          size += line.length
        } catch (error) {
          await handle.truncate(size).catch(() => {})
          throw error
        }
      })
      queue = write.catch(() => {})
      return write
    },
    async close() {
      closed = true
      await queue
      await handle.close()
    },
  }
}

/** Creates an empty file durably: written under a temporary name, flushed, renamed, and the
 * directory flushed so the name survives a crash. */
async function createEmpty(file: string): Promise<void> {
  const temporary = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temporary, 'wx', 0o600)
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await rename(temporary, file)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
  await syncDirectory(dirname(file))
}

/** Flushes a directory entry; not every platform allows opening a directory. */
export async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {}
}
