// Compiles contracts/**/*.sol with solc 0.8.28 and writes typed ABI and bytecode modules to
// src/generated/, plus `as const` modules for network ABIs we have no Solidity source for.
//
//   node scripts/codegen.mjs          write src/generated/
//   node scripts/codegen.mjs --check  fail when src/generated/ differs from a fresh build
//
// The output depends only on the sources: source names are relative, the metadata hash is left
// out of the bytecode and every list is sorted, so any machine produces the same bytes.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, posix, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const solc = require('solc')

const solcVersion = '0.8.28'
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const contractsDir = join(packageDir, 'contracts')
const abiDir = join(packageDir, 'abi')
const generatedDir = join(packageDir, 'src', 'generated')

/** Network ABIs that have no Solidity source here, as `[json file, contract name]`. */
const abiOnly = [['TEERegistry.legacy.json', 'LegacyTEERegistry']]

const settings = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  // The legacy pipeline runs out of stack slots in the ABI decoder of the 8-field chat request.
  viaIR: true,
  metadata: { bytecodeHash: 'none' },
  outputSelection: {
    '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'], '': ['ast'] },
  },
}

function main() {
  const check = process.argv.includes('--check')
  if (!solc.version().startsWith(`${solcVersion}+`)) {
    fail(`Expected solc ${solcVersion}, found ${solc.version()}.`)
  }

  const files = generate()

  if (check) {
    const problems = []
    for (const [name, content] of files) {
      const path = join(generatedDir, name)
      if (!existsSync(path)) problems.push(`missing   src/generated/${name}`)
      else if (readFileSync(path, 'utf8') !== content)
        problems.push(`differs   src/generated/${name}`)
    }
    for (const name of listGenerated()) {
      if (!files.has(name)) problems.push(`stale     src/generated/${name}`)
    }
    if (problems.length > 0) {
      fail(
        [
          'Generated contract code is out of date:',
          ...problems.map((line) => `  ${line}`),
          'Run `pnpm codegen` in packages/contracts and commit the result.',
        ].join('\n'),
      )
    }
    console.log(`src/generated is up to date (${files.size} files).`)
    return
  }

  mkdirSync(generatedDir, { recursive: true })
  for (const name of listGenerated()) {
    if (!files.has(name)) rmSync(join(generatedDir, name))
  }
  for (const [name, content] of files) writeFileSync(join(generatedDir, name), content)
  console.log(`Wrote ${files.size} files to src/generated.`)
}

/** @returns {Map<string, string>} file name in src/generated -> content */
function generate() {
  const sourceNames = listSources(contractsDir).sort()
  const sources = {}
  for (const name of sourceNames) {
    sources[name] = { content: readFileSync(join(packageDir, ...name.split('/')), 'utf8') }
  }
  const output = JSON.parse(
    solc.compile(JSON.stringify({ language: 'Solidity', sources, settings }), {
      import: () => ({ error: 'Imports must stay inside contracts/.' }),
    }),
  )
  const errors = (output.errors ?? []).filter((error) => error.severity === 'error')
  const warnings = (output.errors ?? []).filter((error) => error.severity !== 'error')
  for (const warning of warnings) console.warn(warning.formattedMessage)
  if (errors.length > 0) fail(errors.map((error) => error.formattedMessage).join('\n'))

  const files = new Map()
  for (const sourceName of sourceNames) {
    const kinds = contractKinds(output.sources[sourceName].ast)
    const contracts = output.contracts[sourceName] ?? {}
    for (const contractName of Object.keys(contracts).sort()) {
      const kind = kinds.get(contractName)
      // Libraries hold only types and abstract contracts are building blocks: neither is called.
      if (kind === 'library' || kind === 'abstract') continue
      const { abi, evm } = contracts[contractName]
      const bytecode = kind === 'interface' ? undefined : evm.bytecode.object
      const deployedBytecode = kind === 'interface' ? undefined : evm.deployedBytecode.object
      files.set(
        `${contractName}.ts`,
        render({
          from: sourceName,
          identifier: identifierOf(contractName, kind),
          abi,
          bytecode,
          deployedBytecode,
        }),
      )
    }
  }
  for (const [jsonFile, contractName] of abiOnly) {
    const abi = JSON.parse(readFileSync(join(abiDir, jsonFile), 'utf8'))
    files.set(
      `${contractName}.ts`,
      render({ from: `abi/${jsonFile}`, identifier: identifierOf(contractName, 'contract'), abi }),
    )
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** Source unit names relative to the package, with forward slashes on every platform. */
function listSources(dir) {
  const names = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) names.push(...listSources(path))
    else if (entry.name.endsWith('.sol'))
      names.push(relative(packageDir, path).split(sep).join(posix.sep))
  }
  return names
}

function listGenerated() {
  if (!existsSync(generatedDir)) return []
  return readdirSync(generatedDir).filter((name) => name.endsWith('.ts'))
}

/** contract name -> 'interface' | 'library' | 'abstract' | 'contract' */
function contractKinds(ast) {
  const kinds = new Map()
  for (const node of ast.nodes) {
    if (node.nodeType !== 'ContractDefinition') continue
    kinds.set(node.name, node.abstract ? 'abstract' : node.contractKind)
  }
  return kinds
}

/**
 * `InferenceHub` -> `inferenceHub`, `OPGToken` -> `opgToken`, `LegacyTEERegistry` ->
 * `legacyTeeRegistry`: acronyms become words. Interfaces drop their `I` prefix
 * (`IInferencePrecompile` -> `inferencePrecompile`), because the ABI describes the contract at
 * the network address, not a Solidity type.
 */
function identifierOf(contractName, kind) {
  const name =
    kind === 'interface' && /^I[A-Z]/.test(contractName) ? contractName.slice(1) : contractName
  const words = name.match(/[A-Z]+(?=[A-Z][a-z]|[0-9]|$)|[A-Z]?[a-z0-9]+|[A-Z]+/g) ?? [name]
  return words
    .map((word, index) =>
      index === 0 ? word.toLowerCase() : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase(),
    )
    .join('')
}

function render({ from, identifier, abi, bytecode, deployedBytecode }) {
  const lines = [
    `// generated by scripts/codegen.mjs from ${from}, do not edit`,
    '',
    `export const ${identifier}Abi = ${JSON.stringify(abi, null, 2)} as const`,
  ]
  if (bytecode !== undefined) {
    lines.push(
      '',
      '/** Creation code: deploy it with the constructor arguments appended. */',
      `export const ${identifier}Bytecode: \`0x\${string}\` = '0x${bytecode}'`,
      '',
      '/** Runtime code, for installing the contract at a fixed address (genesis, `anvil_setCode`). */',
      `export const ${identifier}DeployedBytecode: \`0x\${string}\` = '0x${deployedBytecode}'`,
    )
  }
  return `${lines.join('\n')}\n`
}

function fail(message) {
  console.error(message)
  process.exit(1)
}

main()
