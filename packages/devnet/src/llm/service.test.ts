// The devnet's TEE end to end: registry entry, pinned HTTPS, signatures, admin methods, restarts.
import { constants, createPublicKey, verify, X509Certificate } from 'node:crypto'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { teeRegistryAbi } from '@opengradient/contracts'
import { type Hex, teeRegistryAddress } from '@opengradient/core'
import { canonicalTeeRequest } from '@opengradient/llm'
import {
  bytesToHex,
  concat,
  createPublicClient,
  hexToBytes,
  http,
  keccak256,
  numberToHex,
  type PublicClient,
  stringToBytes,
} from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Devnet, startDevnet } from '../startDevnet.js'
import { createSelfSignedCertificate } from './certificate.js'
import { createLlmGatewayService } from './service.js'
import { createTeeSigner } from './tee.js'
import { devnetTeePaymentAddress, devnetTeePcrHash } from './teeRegistry.js'

let devnet: Devnet
let client: PublicClient

// Payments have their own tests (packages/llm/src/payments/paidTee.test.ts); these call the
// TEE's routes directly.
const services = () => [createLlmGatewayService({ teeHeartbeatCheckInterval: 50, payments: false })]

let dataDir: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'og-devnet-tee-'))
  devnet = await startDevnet({ dataDir, port: 0, services: services() })
  client = createPublicClient({ chain: devnet.chain, transport: http() }) as PublicClient
})

afterAll(async () => {
  await devnet?.stop()
  await rm(dataDir, { recursive: true, force: true })
})

/** Calls the TEE over HTTPS trusting only `certificate` (DER), as a pinning client does. */
async function pinnedCall(
  url: string,
  certificate: Hex,
  body?: unknown,
): Promise<{ status: number; text: string; headers: Record<string, unknown>; peer: Uint8Array }> {
  const ca = new X509Certificate(hexToBytes(certificate)).toString()
  return new Promise((resolve, reject) => {
    const call = request(
      url,
      {
        method: body === undefined ? 'GET' : 'POST',
        ca,
        agent: false,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (response) => {
        const peer = new Uint8Array((response.socket as TLSSocket).getPeerCertificate().raw)
        let text = ''
        response.on('data', (chunk) => {
          text += chunk
        })
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text, headers: response.headers, peer }),
        )
      },
    )
    call.on('error', reject)
    call.end(body === undefined ? undefined : JSON.stringify(body))
  })
}

/** A JSON-RPC call to the front: the devnet's `og_…` methods and anvil's. */
async function rpc<T>(method: string, ...params: unknown[]): Promise<T> {
  const response = await fetch(devnet.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await response.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(body.error.message)
  return body.result as T
}

function activeTees() {
  return client.readContract({
    address: teeRegistryAddress,
    abi: teeRegistryAbi,
    functionName: 'getActiveTEEs',
    args: [0],
  })
}

function getTee(teeId: Hex) {
  return client.readContract({
    address: teeRegistryAddress,
    abi: teeRegistryAbi,
    functionName: 'getTEE',
    args: [teeId],
  })
}

/** Verifies a `tee_signature` with a registry key (llm.md §D1). */
function verifyTeeSignature(parameters: {
  publicKey: Hex
  requestHash: Hex
  outputHash: Hex
  timestamp: number
  signature: string
}): boolean {
  const messageHash = keccak256(
    concat([
      parameters.requestHash,
      parameters.outputHash,
      numberToHex(parameters.timestamp, { size: 32 }),
    ]),
  )
  return verify(
    'sha256',
    hexToBytes(messageHash),
    {
      key: createPublicKey({
        key: Buffer.from(hexToBytes(parameters.publicKey)),
        format: 'der',
        type: 'spki',
      }),
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    },
    Buffer.from(parameters.signature, 'base64'),
  )
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('Timed out.')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('the devnet TEE', () => {
  test('default: the registry lists it as startDevnet reports it', async () => {
    const { tee } = devnet
    expect(devnet.addresses.teeRegistry).toBe(teeRegistryAddress)
    expect(devnet.chain.contracts.teeRegistry.address).toBe(teeRegistryAddress)
    expect(tee.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(keccak256(tee.publicKey)).toBe(tee.teeId)
    expect(tee.paymentAddress).toBe(devnetTeePaymentAddress)

    const active = await activeTees()
    expect(active).toHaveLength(1)
    expect(active[0]).toMatchObject({
      paymentAddress: devnetTeePaymentAddress,
      endpoint: tee.endpoint,
      publicKey: tee.publicKey,
      tlsCertificate: tee.tlsCertificate,
      pcrHash: devnetTeePcrHash,
      teeType: 0,
      enabled: true,
    })
    expect(keccak256(active[0]!.publicKey)).toBe(tee.teeId)
    // An RSA-2048 SPKI signing key and a certificate for 127.0.0.1.
    const key = createPublicKey({
      key: Buffer.from(hexToBytes(tee.publicKey)),
      format: 'der',
      type: 'spki',
    })
    expect(key.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n })
    expect(new X509Certificate(hexToBytes(tee.tlsCertificate)).checkIP('127.0.0.1')).toBe(
      '127.0.0.1',
    )
  })

  test('behavior: the keys live in the data directory, readable by their owner only', async () => {
    for (const file of ['signing-key.pem', 'tls-key.pem', 'tls-certificate.pem']) {
      const { mode } = await stat(join(devnet.dataDir, 'tee', file))
      expect((mode & 0o777).toString(8), file).toBe('600')
    }
  })

  test('behavior: a chat pinned to the registry certificate verifies with the registry key', async () => {
    const [entry] = await activeTees()
    const body = {
      model: 'script',
      messages: [{ role: 'user', content: 'Hello TEE' }],
      temperature: 0,
    }
    const response = await pinnedCall(
      `${entry!.endpoint}/v1/chat/completions`,
      entry!.tlsCertificate,
      body,
    )
    expect(response.status, response.text).toBe(200)
    expect(bytesToHex(response.peer)).toBe(entry!.tlsCertificate)
    const answer = JSON.parse(response.text) as {
      choices: { message: { content: string } }[]
      tee_signature: string
      tee_request_hash: string
      tee_output_hash: string
      tee_timestamp: number
      tee_id: Hex
    }
    const content = answer.choices[0]!.message.content
    expect(content).toBe('You said: Hello TEE')
    expect(answer.tee_id).toBe(keccak256(entry!.publicKey))
    const requestHash = keccak256(
      stringToBytes(canonicalTeeRequest({ endpoint: 'chat', body: JSON.stringify(body) })),
    )
    const outputHash = keccak256(stringToBytes(content))
    expect(`0x${answer.tee_request_hash}`).toBe(requestHash)
    expect(`0x${answer.tee_output_hash}`).toBe(outputHash)
    expect(Number.isInteger(answer.tee_timestamp)).toBe(true)
    const signed = {
      publicKey: entry!.publicKey,
      requestHash,
      outputHash,
      timestamp: answer.tee_timestamp,
      signature: answer.tee_signature,
    }
    expect(verifyTeeSignature(signed)).toBe(true)
    expect(verifyTeeSignature({ ...signed, timestamp: signed.timestamp + 1 })).toBe(false)
  })

  test('behavior: /health, /signing-key and /v1/models over HTTPS', async () => {
    const { tee } = devnet
    const health = await pinnedCall(`${tee.endpoint}/health`, tee.tlsCertificate)
    expect(JSON.parse(health.text)).toEqual({ status: 'ok', tee_id: tee.teeId })
    const signingKey = await pinnedCall(`${tee.endpoint}/signing-key`, tee.tlsCertificate)
    expect(signingKey.headers['x-tee-id']).toBe(tee.teeId)
    expect(signingKey.text).toMatch(/^-----BEGIN PUBLIC KEY-----\n/)
    const der = createPublicKey(signingKey.text).export({ type: 'spki', format: 'der' })
    expect(bytesToHex(der)).toBe(tee.publicKey)
    const models = await pinnedCall(`${tee.endpoint}/v1/models`, tee.tlsCertificate)
    expect(JSON.parse(models.text).data.map((model: { id: string }) => model.id)).toContain(
      'devnet/script',
    )
    const missing = await pinnedCall(`${tee.endpoint}/nothing`, tee.tlsCertificate)
    expect(missing.status).toBe(404)
  })

  test('error: a client pinning another certificate is refused', async () => {
    const other = await createSelfSignedCertificate()
    await expect(
      pinnedCall(`${devnet.tee.endpoint}/health`, bytesToHex(other.certificateDer)),
    ).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })
  })

  test('behavior: og_setTeeEnabled delists and relists it', async () => {
    const { teeId } = devnet.tee
    const disabled = await rpc<{ enabled: boolean; transactionHash: Hex }>('og_setTeeEnabled', {
      teeId,
      enabled: false,
    })
    expect(disabled).toMatchObject({ teeId, enabled: false })
    expect(await activeTees()).toEqual([])
    expect((await getTee(teeId)).enabled).toBe(false)
    await rpc('og_setTeeEnabled', { teeId, enabled: true })
    expect((await activeTees()).map((tee) => keccak256(tee.publicKey))).toEqual([teeId])
  })

  test('behavior: og_registerTee lists a second TEE', async () => {
    const [certificate, signer] = await Promise.all([
      createSelfSignedCertificate({ commonName: 'second' }),
      createTeeSigner(),
    ])
    const publicKey = bytesToHex(signer.publicKeyDer)
    const registered = await rpc<{ teeId: Hex }>('og_registerTee', {
      endpoint: 'https://127.0.0.1:1',
      publicKey,
      tlsCertificate: bytesToHex(certificate.certificateDer),
    })
    expect(registered.teeId).toBe(signer.teeId)
    try {
      const active = await activeTees()
      expect(active.map((tee) => keccak256(tee.publicKey))).toEqual([
        devnet.tee.teeId,
        signer.teeId,
      ])
      expect(active[1]).toMatchObject({
        endpoint: 'https://127.0.0.1:1',
        tlsCertificate: bytesToHex(certificate.certificateDer),
        paymentAddress: devnetTeePaymentAddress,
        pcrHash: `0x${'00'.repeat(32)}`,
      })
    } finally {
      await rpc('og_setTeeEnabled', { teeId: signer.teeId, enabled: false })
    }
    expect(await activeTees()).toHaveLength(1)
  })

  test('behavior: heartbeats keep it active as block time moves on', async () => {
    const { teeId } = devnet.tee
    const before = (await getTee(teeId)).lastHeartbeatAt
    // A quarter of the one-day timeout and more: the next check sends a heartbeat.
    await rpc('evm_increaseTime', 7 * 3600)
    await rpc('evm_mine')
    await waitFor(async () => (await getTee(teeId)).lastHeartbeatAt > before)
    // Past the timeout it is inactive until the next heartbeat brings it back.
    await rpc('evm_increaseTime', 2 * 86_400)
    await rpc('evm_mine')
    await waitFor(async () =>
      client.readContract({
        address: teeRegistryAddress,
        abi: teeRegistryAbi,
        functionName: 'isTEEActive',
        args: [teeId],
      }),
    )
  })

  test('error: og_setTeeEnabled and og_registerTee check their parameters', async () => {
    await expect(rpc('og_setTeeEnabled', { teeId: '0x12', enabled: false })).rejects.toThrow(
      '"teeId" must be 32 bytes.',
    )
    await expect(rpc('og_setTeeEnabled', { teeId: devnet.tee.teeId })).rejects.toThrow(
      '"enabled" must be true or false.',
    )
    await expect(rpc('og_registerTee', { endpoint: 'https://x', publicKey: '0x' })).rejects.toThrow(
      '"publicKey" must not be empty.',
    )
    await expect(
      rpc('og_registerTee', { endpoint: 'https://x', publicKey: '0x01', paymentAddress: 'me' }),
    ).rejects.toThrow('"paymentAddress" must be an address.')
    await expect(
      rpc('og_setTeeEnabled', { teeId: keccak256('0x99'), enabled: true }),
    ).rejects.toThrow('TEERegistry: unknown TEE')
  })

  test('behavior: a restart keeps the tee id and the certificate', async () => {
    const first = devnet.tee
    await devnet.stop()
    devnet = await startDevnet({ dataDir, port: 0, services: services() })
    client = createPublicClient({ chain: devnet.chain, transport: http() }) as PublicClient
    const { tee } = devnet
    expect(tee.teeId).toBe(first.teeId)
    expect(tee.publicKey).toBe(first.publicKey)
    expect(tee.tlsCertificate).toBe(first.tlsCertificate)
    // Registered again at its new endpoint, under the same id.
    const active = await activeTees()
    expect(active.map((entry) => [keccak256(entry.publicKey), entry.endpoint])).toEqual([
      [tee.teeId, tee.endpoint],
    ])
    const ids = await client.readContract({
      address: teeRegistryAddress,
      abi: teeRegistryAbi,
      functionName: 'getTEEsByType',
      args: [0],
    })
    expect(ids).toHaveLength(2) // the devnet TEE and the second one registered above
    const health = await pinnedCall(`${tee.endpoint}/health`, first.tlsCertificate)
    expect(JSON.parse(health.text).tee_id).toBe(first.teeId)
  }, 60_000)
})
