// Upload of a 512 MiB file to the devnet hub: this package's client against `curl -F`, each in a
// process of its own so the peak RSS is the uploader's alone.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { addHubUser, type Devnet, startDevnet } from '@opengradient/devnet'
import ts from 'typescript'
import { bench, describe } from 'vitest'
import { createHubClient, type HubClient } from './exports/index.js'

const fileSize = 512 * 1024 * 1024
const packageDir = fileURLToPath(new URL('..', import.meta.url))
// Inside the package, so the compiled client finds its dependencies in its node_modules.
const buildDir = join(packageDir, '.bench')

type Run = { seconds: number; peakRssBytes: number }
const runs: { client: Run[]; curl: Run[] } = { client: [], curl: [] }

let devnet: Devnet
let hub: HubClient
let workDir: string
let devnetDir: string
let file: string
let uploadUrl: string
let idToken: string

/**
 * Compiles the package's sources (and core's, which they import) to plain JavaScript in
 * `.bench/`, so a child `node` runs exactly the client's code without a TypeScript loader.
 */
async function compileClient(): Promise<string> {
  await rm(buildDir, { recursive: true, force: true })
  const sources = [
    { from: join(packageDir, 'src'), to: join(buildDir, 'hub') },
    { from: join(packageDir, '..', 'core', 'src'), to: join(buildDir, 'core') },
  ]
  const coreEntry = join(buildDir, 'core', 'exports', 'index.js')
  for (const { from, to } of sources) {
    for (const entry of await readdir(from, { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name)
      if (!entry.isFile() || !path.endsWith('.ts') || /\.(test|bench|test-d)\.ts$/.test(path))
        continue
      const output = join(to, relative(from, path)).replace(/\.ts$/, '.js')
      const { outputText } = ts.transpileModule(await readFile(path, 'utf8'), {
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: true,
        },
      })
      let coreImport = relative(dirname(output), coreEntry)
      if (!coreImport.startsWith('.')) coreImport = `./${coreImport}`
      await mkdir(dirname(output), { recursive: true })
      await writeFile(output, outputText.replaceAll("'@opengradient/core'", `'${coreImport}'`))
    }
  }
  const script = join(buildDir, 'upload.mjs')
  await writeFile(
    script,
    `import { createHubClient } from './hub/exports/index.js'
import { uploadFile } from './hub/exports/node.js'
const [baseUrl, model, version, path] = process.argv.slice(2)
const hub = createHubClient({ baseUrl, auth: { idToken: process.env.HUB_TOKEN, expiresAt: Date.now() + 3_600_000 } })
let peak = process.memoryUsage().rss
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 10)
const started = performance.now()
const { size } = await uploadFile(hub, { model, version, path })
const seconds = (performance.now() - started) / 1000
clearInterval(sampler)
peak = Math.max(peak, process.memoryUsage().rss)
process.stdout.write(JSON.stringify({ seconds, size, peakRssBytes: peak }))
`,
  )
  return script
}

/** Runs a command, sampling its peak RSS (VmHWM) from /proc until it exits. */
function measure(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ stdout: string; seconds: number; peakRssBytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let peakRssBytes = 0
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const sampler = setInterval(async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '')
      const match = /VmHWM:\s+(\d+) kB/.exec(status)
      if (match) peakRssBytes = Math.max(peakRssBytes, Number(match[1]) * 1024)
    }, 10)
    child.on('error', reject)
    child.on('close', (code) => {
      clearInterval(sampler)
      const seconds = (performance.now() - started) / 1000
      if (code === 0) resolve({ stdout, seconds, peakRssBytes })
      else reject(new Error(`${command} exited with ${code}: ${stderr}`))
    })
  })
}

let script: string
let model: string
let version: string
let prepared: Promise<void> | undefined

/** Writes the file, starts a devnet with a signed-in account and a repository, compiles the client. */
async function prepare(): Promise<void> {
  workDir = await mkdtemp(join(tmpdir(), 'og-upload-bench-'))
  file = join(workDir, 'model.bin')
  // 512 × 1 MiB of random bytes, each MiB different, written without holding the file.
  const handle = await open(file, 'w')
  const block = randomBytes(1 << 20)
  for (let index = 0; index < fileSize >> 20; index++) {
    block.writeUInt32LE(index, 0)
    await handle.write(block)
  }
  await handle.close()

  // The devnet's store fsyncs every file; on tmpfs the server's disk does not set the pace,
  // so the figures compare the uploaders.
  devnetDir = await mkdtemp(
    join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'og-bench-devnet-'),
  )
  devnet = await startDevnet({ dataDir: devnetDir, port: 0 })
  await addHubUser({
    dataDir: devnet.dataDir,
    email: 'bench@example.com',
    password: 'bench-password',
  })
  hub = createHubClient({
    baseUrl: `${devnet.rpcUrl}/api/v0`,
    authUrl: `${devnet.rpcUrl}/firebase`,
  })
  ;({ idToken } = await hub.login({ email: 'bench@example.com', password: 'bench-password' }))
  const created = await hub.createModel({ name: 'bench', description: '512 MiB uploads' })
  model = created.name
  version = created.initialVersion!
  uploadUrl = `${hub.baseUrl}/models/${model}/versions/${version}/files`
  script = await compileClient()
}

/** Prints both uploaders side by side and removes the file, the devnet and the build. */
async function finish(): Promise<void> {
  await devnet?.stop()
  if (devnetDir) await rm(devnetDir, { recursive: true, force: true })
  if (workDir) await rm(workDir, { recursive: true, force: true })
  await rm(buildDir, { recursive: true, force: true })
  if (runs.client.length === 0 || runs.curl.length === 0) return
  const best = (list: Run[]) => list.reduce((a, b) => (a.seconds <= b.seconds ? a : b))
  const client = best(runs.client)
  const curl = best(runs.curl)
  const mib = fileSize / 2 ** 20
  const row = (name: string, run: Run) =>
    `${name.padEnd(28)}${`${(mib / run.seconds).toFixed(1)} MiB/s`.padStart(14)}${`${run.seconds.toFixed(2)} s`.padStart(10)}${`${(run.peakRssBytes / 1e6).toFixed(1)} MB`.padStart(12)}`
  console.log(
    [
      '',
      `Upload of ${mib} MiB to the devnet hub (best of ${runs.client.length} runs each)`,
      `${''.padEnd(28)}${'throughput'.padStart(14)}${'time'.padStart(10)}${'peak RSS'.padStart(12)}`,
      row('@opengradient/hub (node)', client),
      row('curl -F file=@…', curl),
      `client / curl throughput: ${(curl.seconds / client.seconds).toFixed(2)}x`,
      '',
    ].join('\n'),
  )
}

// Benchmarks run no beforeAll/afterAll hooks: the first round prepares, the last one reports and
// cleans up (as does any failure). Each round uploads with both, one after the other, so both
// see the same machine load; a round that would push the whole run past two minutes is skipped.
const rounds = 2
const budgetMs = 75_000
let startedAt = 0
let round = 0

async function uploadWithClient(): Promise<Run> {
  const { stdout, peakRssBytes } = await measure(
    process.execPath,
    [script, hub.baseUrl, model, version, file],
    { ...process.env, HUB_TOKEN: idToken },
  )
  const result = JSON.parse(stdout) as { seconds: number; size: number }
  if (result.size !== fileSize) throw new Error(`Uploaded ${result.size} bytes.`)
  return { seconds: result.seconds, peakRssBytes }
}

async function uploadWithCurl(): Promise<Run> {
  const { stdout, peakRssBytes } = await measure(
    'curl',
    [
      '--silent',
      '--show-error',
      '--fail',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{time_total}',
      '-H',
      `Authorization: Bearer ${idToken}`,
      '-F',
      `file=@${file};type=application/octet-stream`,
      uploadUrl,
    ],
    process.env,
  )
  const [status, seconds] = stdout.trim().split(' ')
  if (status !== '201') throw new Error(`curl got status ${status}.`)
  return { seconds: Number(seconds), peakRssBytes }
}

describe('upload of 512 MiB to the devnet hub', () => {
  bench(
    '@opengradient/hub uploadFile (child process), then curl -F file=@… (same endpoint)',
    async () => {
      try {
        round++
        startedAt ||= Date.now()
        prepared ??= prepare()
        await prepared
        if (round === 1 || Date.now() - startedAt < budgetMs) {
          runs.client.push(await uploadWithClient())
          runs.curl.push(await uploadWithCurl())
        }
        if (round === rounds) await finish()
      } catch (error) {
        await finish().catch(() => {})
        throw error
      }
    },
    { iterations: rounds, time: 0, warmupIterations: 0, warmupTime: 0 },
  )
})
