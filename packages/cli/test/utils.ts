// Runs the CLI in-process against a temporary home directory with captured streams.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach } from 'vitest'
import { runCli } from '../src/runCli.js'

export type CliRunResult = { exitCode: number; stdout: string; stderr: string }

export type RunOptions = {
  /** Home directory; a fresh temporary one when omitted. */
  home: string
  env?: Record<string, string | undefined>
  /** Text read by prompts; an empty stream when omitted. */
  stdin?: string | undefined
  isTTY?: boolean | undefined
}

const homes: string[] = []

afterEach(async () => {
  await Promise.all(homes.splice(0).map((home) => rm(home, { recursive: true, force: true })))
})

/** A temporary home directory, removed after the test. */
export async function createHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'og-cli-'))
  homes.push(home)
  return home
}

/** Runs `opengradient <argv>` in-process. */
export async function og(argv: string[], options: RunOptions): Promise<CliRunResult> {
  let stdout = ''
  let stderr = ''
  const exitCode = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    env: options.env ?? {},
    homeDir: options.home,
    isTTY: options.isTTY ?? false,
  })
  return { exitCode, stdout, stderr }
}

export const testPrivateKey = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
export const testAddress = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
