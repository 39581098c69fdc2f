import { legacyTeeRegistryAbi } from '@opengradient/contracts'
import {
  NoActiveTeeError,
  ogTestnet,
  TeeRegistryError,
  teeRegistryAddress,
} from '@opengradient/core'
import {
  bytesToHex,
  concat,
  createPublicClient,
  createTestClient,
  encodeFunctionResult,
  type Hex,
  http,
  keccak256,
  numberToHex,
  size,
  zeroHash,
} from 'viem'
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { beforeAll, describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import {
  closedPort,
  createTlsIdentity,
  deployTestRegistry,
  type TestRegistry,
} from '../../test/tees.js'
import { getActiveTees, teeRegistryAddressOf } from './getActiveTees.js'

let registry: TestRegistry
let certificate: Hex

beforeAll(async () => {
  registry = await deployTestRegistry()
  certificate = bytesToHex((await createTlsIdentity()).certificateDer)
})

describe('getActiveTees', () => {
  test('default', async () => {
    const publicKey = bytesToHex(new Uint8Array(96).fill(7))
    const teeId = await registry.register({
      endpoint: 'https://127.0.0.1:4443/',
      tlsCertificate: certificate,
      publicKey,
    })
    const tees = await getActiveTees({ client: registry.publicClient, address: registry.address })
    expect(tees).toHaveLength(1)
    const [tee] = tees
    expect(tee?.teeId).toBe(keccak256(publicKey))
    expect(teeId).toBe(keccak256(publicKey))
    expect(tee).toMatchObject({
      endpoint: 'https://127.0.0.1:4443',
      publicKey,
      tlsCertificate: certificate,
      pcrHash: zeroHash,
      teeType: 0,
      ohttp: undefined,
    })
    expect(tee?.registeredAt).toBeTypeOf('bigint')
    expect(tee?.lastHeartbeatAt).toBeGreaterThan(0n)
  })

  test('args: teeType', async () => {
    await registry.register({
      endpoint: 'https://127.0.0.1:4444',
      tlsCertificate: certificate,
      teeType: 1,
    })
    const validators = await getActiveTees({
      client: registry.publicClient,
      address: registry.address,
      teeType: 1,
    })
    expect(validators.map((tee) => [tee.endpoint, tee.teeType])).toEqual([
      ['https://127.0.0.1:4444', 1],
    ])
  })

  test('behavior: skips entries without an endpoint or a certificate, and says so', async () => {
    const warnings: [string, Record<string, unknown> | undefined][] = []
    const noEndpoint = await registry.register({ endpoint: '', tlsCertificate: certificate })
    const noCertificate = await registry.register({
      endpoint: 'https://127.0.0.1:4445',
      tlsCertificate: '0x',
    })
    const tees = await getActiveTees({
      client: registry.publicClient,
      address: registry.address,
      logger: { warn: (message, context) => warnings.push([message, context]) },
    })
    expect(tees.map((tee) => tee.teeId)).not.toContain(noEndpoint)
    expect(tees.map((tee) => tee.teeId)).not.toContain(noCertificate)
    expect(warnings.map(([message]) => message)).toEqual([
      `Skipped TEE ${noEndpoint} of the registry: it has no endpoint.`,
      `Skipped TEE ${noCertificate} of the registry: it has no TLS certificate.`,
    ])
    expect(warnings[0]?.[1]).toMatchObject({ teeId: noEndpoint, registryAddress: registry.address })
  })

  test('behavior: a disabled TEE is not listed', async () => {
    const teeId = await registry.register({
      endpoint: 'https://127.0.0.1:4446',
      tlsCertificate: certificate,
    })
    const before = await getActiveTees({ client: registry.publicClient, address: registry.address })
    expect(before.map((tee) => tee.teeId)).toContain(teeId)
    await registry.setEnabled(teeId, false)
    const after = await getActiveTees({ client: registry.publicClient, address: registry.address })
    expect(after.map((tee) => tee.teeId)).not.toContain(teeId)
  })

  test('behavior: an empty registry is an empty list', async () => {
    const empty = await deployTestRegistry()
    expect(await getActiveTees({ client: empty.publicClient, address: empty.address })).toEqual([])
  })

  test('behavior: answers of the legacy 10-field registry are decoded', async () => {
    const publicKey = bytesToHex(new Uint8Array(64).fill(3))
    const entry = {
      owner: privateKeyToAddress(generatePrivateKey()),
      paymentAddress: privateKeyToAddress(generatePrivateKey()),
      endpoint: 'https://3.15.214.21',
      publicKey,
      tlsCertificate: certificate,
      pcrHash: keccak256('0x01'),
      teeType: 0,
      enabled: true,
      registeredAt: 1_700_000_000n,
      lastHeartbeatAt: 1_700_000_100n,
    }
    const data = encodeFunctionResult({
      abi: legacyTeeRegistryAbi,
      functionName: 'getActiveTEEs',
      result: [entry],
    })
    const address = await deployConstantAnswer(data)
    const tees = await getActiveTees({ client: registry.publicClient, address })
    expect(tees).toEqual([
      {
        teeId: keccak256(publicKey),
        owner: entry.owner,
        paymentAddress: entry.paymentAddress,
        endpoint: 'https://3.15.214.21',
        publicKey,
        tlsCertificate: certificate,
        pcrHash: entry.pcrHash,
        teeType: 0,
        registeredAt: 1_700_000_000n,
        lastHeartbeatAt: 1_700_000_100n,
        ohttp: undefined,
      },
    ])
  })

  test('error: the registry cannot be reached', async () => {
    const client = createPublicClient({
      transport: http(`http://127.0.0.1:${await closedPort()}`, { retryCount: 0 }),
    })
    const error = await getActiveTees({ client, address: registry.address }).catch((e) => e)
    expect(error).toBeInstanceOf(TeeRegistryError)
    expect(error).not.toBeInstanceOf(NoActiveTeeError)
    expect(error.registryAddress).toBe(registry.address)
    expect(error.shortMessage).toMatchInlineSnapshot(`"The TEE registry could not be read."`)
  })

  test('error: no contract at the address', async () => {
    const address = privateKeyToAddress(generatePrivateKey())
    const error = await getActiveTees({ client: registry.publicClient, address }).catch((e) => e)
    expect(error).toBeInstanceOf(TeeRegistryError)
    expect(error.shortMessage).toMatchInlineSnapshot(`"The TEE registry answered with no data."`)
  })

  test('error: an answer neither ABI decodes', async () => {
    const address = await deployConstantAnswer(
      concat([numberToHex(32, { size: 32 }), numberToHex(5, { size: 32 })]),
    )
    const error = await getActiveTees({ client: registry.publicClient, address }).catch((e) => e)
    expect(error).toBeInstanceOf(TeeRegistryError)
    expect(error.shortMessage).toMatchInlineSnapshot(
      `"The TEE registry answer decodes with no known registry ABI."`,
    )
  })
})

describe('teeRegistryAddressOf', () => {
  test('default', () => {
    const client = createPublicClient({ transport: http('http://127.0.0.1:1') })
    expect(teeRegistryAddressOf(client)).toBe(teeRegistryAddress)
  })

  test('args: the chain names the registry', () => {
    const chain = {
      ...ogTestnet,
      contracts: { teeRegistry: { address: privateKeyToAddress(generatePrivateKey()) } },
    }
    const client = createPublicClient({ chain, transport: http('http://127.0.0.1:1') })
    expect(teeRegistryAddressOf(client)).toBe(chain.contracts.teeRegistry.address)
  })

  test('args: address', () => {
    const client = createPublicClient({ chain: ogTestnet, transport: http('http://127.0.0.1:1') })
    const address = privateKeyToAddress(generatePrivateKey())
    expect(teeRegistryAddressOf(client, address)).toBe(address)
  })
})

/**
 * Installs code that answers every call with `data`: CODECOPY of the bytes after a 14-byte
 * prologue, then RETURN. A registry deployment of the old generation, as far as a reader sees.
 */
async function deployConstantAnswer(data: Hex) {
  const { anvilUrl } = testDevnet()
  const anvil = createTestClient({ mode: 'anvil', transport: http(anvilUrl) })
  const length = numberToHex(size(data), { size: 2 }).slice(2)
  const bytecode = `0x61${length}600e60003961${length}6000f3${data.slice(2)}`
  const address = privateKeyToAddress(generatePrivateKey())
  await anvil.setCode({ address, bytecode: bytecode as Hex })
  return address
}
