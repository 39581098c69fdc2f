import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { openJournal } from './journal.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function journalFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'og-journal-'))
  dirs.push(dir)
  return join(dir, 'hub', 'journal.jsonl')
}

describe('openJournal', () => {
  test('default', async () => {
    const file = await journalFile()
    const journal = await openJournal<{ n: number }>({ file })
    expect(journal.records).toEqual([])
    await Promise.all([1, 2, 3].map((n) => journal.append({ n })))
    await journal.close()
    expect(await readFile(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n')
    const reopened = await openJournal<{ n: number }>({ file })
    expect(reopened.records).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])
    await reopened.close()
  })

  test('behavior: a torn last line is dropped and cut', async () => {
    const file = await journalFile()
    const journal = await openJournal<{ n: number }>({ file })
    await journal.append({ n: 1 })
    await journal.close()
    await appendFile(file, '{"n":2,"unfini')
    const reopened = await openJournal<{ n: number }>({ file })
    expect(reopened.records).toEqual([{ n: 1 }])
    await reopened.append({ n: 3 })
    await reopened.close()
    expect(await readFile(file, 'utf8')).toBe('{"n":1}\n{"n":3}\n')
  })

  test('error: a bad line before the last is corruption', async () => {
    const file = await journalFile()
    await openJournal({ file }).then((journal) => journal.close())
    await writeFile(file, '{"n":1}\nnot json\n{"n":3}\n')
    await expect(openJournal({ file })).rejects.toThrow('The journal is corrupt at line 2.')
  })
})
