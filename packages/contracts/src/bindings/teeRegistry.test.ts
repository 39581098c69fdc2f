import { teeRegistryAddress } from '@opengradient/core'
import { type Account, getAddress, type Hex, keccak256, parseEventLogs, zeroHash } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { teeRegistryAbi, teeRegistryDeployedBytecode } from '../generated/TEERegistry.js'
import { type Anvil, startAnvil } from '../test/anvil.js'
import { getTeeRegistryContract } from './teeRegistry.js'

let anvil: Anvil

beforeAll(async () => {
  anvil = await startAnvil()
  // Installed without a constructor, as a devnet does.
  await anvil.testClient.setCode({
    address: teeRegistryAddress,
    bytecode: teeRegistryDeployedBytecode,
  })
})

afterAll(async () => {
  await anvil?.stop()
})

function registry(account: Account) {
  return getTeeRegistryContract({ client: anvil.accountClient(account) })
}

async function mined(hash: Hex) {
  const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  return parseEventLogs({ abi: teeRegistryAbi, logs: receipt.logs })
}

async function latestTimestamp(): Promise<bigint> {
  return (await anvil.publicClient.getBlock()).timestamp
}

const payTo = getAddress('0x00000000000000000000000000000000000000a1')
const pcr = `0x${'11'.repeat(32)}` as const
const keyA = '0x3082010a0a' as const
const keyB = '0x3082010a0b' as const
const keyC = '0x3082010a0c' as const
const certificate = '0x308201aa' as const

describe('TEERegistry', () => {
  test('default: empty, no owner', async () => {
    const read = registry(anvil.accounts[0]).read
    expect(await read.owner()).toBe('0x0000000000000000000000000000000000000000')
    expect(await read.getActiveTEEs([0])).toEqual([])
    expect(await read.getTEEsByType([0])).toEqual([])
    expect(await read.isTEEActive([keccak256(keyA)])).toBe(false)
    expect(await read.heartbeatTimeout()).toBe(86_400n)
  })

  test('behavior: initialize names the owner once', async () => {
    const [owner, other] = anvil.accounts
    await expect(
      registry(other).simulate.registerTEE([0, 'https://x', keyA, certificate, payTo, pcr]),
    ).rejects.toThrow('TEERegistry: caller is not the owner')
    await mined(await registry(owner).write.initialize([owner.address]))
    expect(await registry(owner).read.owner()).toBe(owner.address)
    await expect(registry(other).simulate.initialize([other.address])).rejects.toThrow(
      'TEERegistry: already initialized',
    )
  })

  test('behavior: registerTEE lists an active TEE under keccak256(publicKey)', async () => {
    const [owner] = anvil.accounts
    const { result: teeId } = await registry(owner).simulate.registerTEE([
      0,
      'https://127.0.0.1:8546',
      keyA,
      certificate,
      payTo,
      pcr,
    ])
    expect(teeId).toBe(keccak256(keyA))
    const events = await mined(
      await registry(owner).write.registerTEE([
        0,
        'https://127.0.0.1:8546',
        keyA,
        certificate,
        payTo,
        pcr,
      ]),
    )
    expect(events.map((event) => event.eventName)).toEqual(['TEERegistered', 'TEEHeartbeat'])
    const now = await latestTimestamp()
    const read = registry(owner).read
    const entry = {
      owner: owner.address,
      paymentAddress: payTo,
      endpoint: 'https://127.0.0.1:8546',
      publicKey: keyA,
      tlsCertificate: certificate,
      pcrHash: pcr,
      teeType: 0,
      enabled: true,
      registeredAt: now,
      lastHeartbeatAt: now,
      ohttpConfig: {
        keyId: 0,
        kemId: 0,
        kdfId: 0,
        aeadId: 0,
        publicKey: '0x',
        keyConfig: '0x',
        registeredAt: 0n,
      },
    }
    expect(await read.getTEE([keccak256(keyA)])).toEqual(entry)
    expect(await read.getActiveTEEs([0])).toEqual([entry])
    expect(await read.getActiveTEEs([1])).toEqual([])
    expect(await read.getEnabledTEEs([0])).toEqual([keccak256(keyA)])
    expect(await read.getTEEsByType([0])).toEqual([keccak256(keyA)])
    expect(await read.isTEEActive([keccak256(keyA)])).toBe(true)
    expect(await read.isTEEEnabled([keccak256(keyA)])).toBe(true)
  })

  test('behavior: registering a key again replaces its entry and keeps its id', async () => {
    const [owner] = anvil.accounts
    const registeredAt = (await registry(owner).read.getTEE([keccak256(keyA)])).registeredAt
    await mined(
      await registry(owner).write.registerTEE([
        0,
        'https://127.0.0.1:9000',
        keyA,
        '0x01',
        payTo,
        zeroHash,
      ]),
    )
    const entry = await registry(owner).read.getTEE([keccak256(keyA)])
    expect(entry).toMatchObject({
      endpoint: 'https://127.0.0.1:9000',
      tlsCertificate: '0x01',
      pcrHash: zeroHash,
      registeredAt,
    })
    expect(await registry(owner).read.getTEEsByType([0])).toEqual([keccak256(keyA)])
    await expect(
      registry(owner).simulate.registerTEE([1, 'https://x', keyA, certificate, payTo, pcr]),
    ).rejects.toThrow('TEERegistry: TEE type cannot change')
  })

  test('behavior: a disabled TEE is known but not listed', async () => {
    const [owner, other] = anvil.accounts
    await mined(await registry(owner).write.registerTEE([0, 'https://b', keyB, '0x02', payTo, pcr]))
    await mined(await registry(owner).write.setTEEEnabled([keccak256(keyA), false]))
    const read = registry(owner).read
    expect((await read.getActiveTEEs([0])).map((tee) => tee.publicKey)).toEqual([keyB])
    expect(await read.getEnabledTEEs([0])).toEqual([keccak256(keyB)])
    expect(await read.getTEEsByType([0])).toEqual([keccak256(keyA), keccak256(keyB)])
    expect(await read.isTEEEnabled([keccak256(keyA)])).toBe(false)
    expect(await read.isTEEActive([keccak256(keyA)])).toBe(false)
    await expect(registry(other).simulate.setTEEEnabled([keccak256(keyA), true])).rejects.toThrow(
      'TEERegistry: caller is not the owner or operator',
    )
    await mined(await registry(owner).write.setTEEEnabled([keccak256(keyA), true]))
    expect(await read.isTEEActive([keccak256(keyA)])).toBe(true)
  })

  test('behavior: a stale heartbeat deactivates a TEE until the next one', async () => {
    const [owner] = anvil.accounts
    const read = registry(owner).read
    await anvil.testClient.increaseTime({ seconds: 86_400 + 10 })
    await anvil.testClient.mine({ blocks: 1 })
    expect(await read.getActiveTEEs([0])).toEqual([])
    expect(await read.getEnabledTEEs([0])).toHaveLength(2)
    await mined(await registry(owner).write.heartbeat([keccak256(keyB)]))
    expect((await read.getActiveTEEs([0])).map((tee) => tee.publicKey)).toEqual([keyB])
    expect((await read.getTEE([keccak256(keyB)])).lastHeartbeatAt).toBe(await latestTimestamp())

    await mined(await registry(owner).write.setHeartbeatTimeout([30n]))
    expect(await read.heartbeatTimeout()).toBe(30n)
    await anvil.testClient.increaseTime({ seconds: 31 })
    await anvil.testClient.mine({ blocks: 1 })
    expect(await read.isTEEActive([keccak256(keyB)])).toBe(false)
    await mined(await registry(owner).write.setHeartbeatTimeout([0n]))
    expect(await read.isTEEActive([keccak256(keyB)])).toBe(true)
  })

  test('behavior: a revoked measurement deactivates its TEEs', async () => {
    const [owner] = anvil.accounts
    const read = registry(owner).read
    await mined(await registry(owner).write.setPCRRevoked([pcr, true]))
    expect(await read.isPCRRevoked([pcr])).toBe(true)
    expect(await read.isTEEActive([keccak256(keyB)])).toBe(false)
    expect(await read.isTEEEnabled([keccak256(keyB)])).toBe(true)
    await mined(await registry(owner).write.setPCRRevoked([pcr, false]))
    expect(await read.isTEEActive([keccak256(keyB)])).toBe(true)
  })

  test('behavior: setOhttpConfig publishes the key configuration', async () => {
    const [owner] = anvil.accounts
    await mined(
      await registry(owner).write.setOhttpConfig([keccak256(keyB), 1, 0x20, 1, 1, '0xaa', '0xbb']),
    )
    expect((await registry(owner).read.getTEE([keccak256(keyB)])).ohttpConfig).toEqual({
      keyId: 1,
      kemId: 0x20,
      kdfId: 1,
      aeadId: 1,
      publicKey: '0xaa',
      keyConfig: '0xbb',
      registeredAt: await latestTimestamp(),
    })
  })

  test('behavior: the owner can hand over the registry', async () => {
    const [owner, other] = anvil.accounts
    await mined(await registry(owner).write.transferOwnership([other.address]))
    await mined(await registry(other).write.registerTEE([1, 'https://v', keyC, '0x03', payTo, pcr]))
    expect(await registry(other).read.getTEEsByType([1])).toEqual([keccak256(keyC)])
    // The operator of a TEE keeps its own heartbeat rights.
    await mined(await registry(owner).write.heartbeat([keccak256(keyB)]))
    await mined(await registry(other).write.transferOwnership([owner.address]))
  })

  test('error: unknown TEE ids and empty keys', async () => {
    const [owner] = anvil.accounts
    const unknown = keccak256('0x99')
    await expect(registry(owner).read.getTEE([unknown])).rejects.toThrow('TEERegistry: unknown TEE')
    await expect(registry(owner).simulate.heartbeat([unknown])).rejects.toThrow(
      'TEERegistry: unknown TEE',
    )
    await expect(
      registry(owner).simulate.registerTEE([0, 'https://x', '0x', certificate, payTo, pcr]),
    ).rejects.toThrow('TEERegistry: empty public key')
    expect(await registry(owner).read.isTEEEnabled([unknown])).toBe(false)
  })
})
