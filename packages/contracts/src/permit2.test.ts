// Permit2 and the x402 Permit2 proxies, installed at their canonical addresses on a plain anvil
// and driven with signatures made by viem, the way x402 clients make them.

import {
  permit2Address,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyAddress,
} from '@opengradient/core'
import {
  type Account,
  type Address,
  type BaseError,
  ContractFunctionRevertedError,
  domainSeparator,
  type Hex,
  hashTypedData,
  keccak256,
  maxUint256,
  parseEther,
  parseEventLogs,
  parseSignature,
  serializeCompactSignature,
  signatureToCompactSignature,
  toHex,
} from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { opgTokenAbi, opgTokenBytecode } from './generated/OPGToken.js'
import { permit2Abi, permit2DeployedBytecode } from './generated/Permit2.js'
import {
  x402ExactPermit2ProxyAbi,
  x402ExactPermit2ProxyDeployedBytecode,
} from './generated/X402ExactPermit2Proxy.js'
import {
  x402UptoPermit2ProxyAbi,
  x402UptoPermit2ProxyDeployedBytecode,
} from './generated/X402UptoPermit2Proxy.js'
import { type Anvil, startAnvil } from './test/anvil.js'

const tokenPermissions = [
  { name: 'token', type: 'address' },
  { name: 'amount', type: 'uint256' },
] as const

const permitTypes = {
  PermitTransferFrom: [
    { name: 'permitted', type: 'TokenPermissions' },
    { name: 'spender', type: 'address' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
  TokenPermissions: tokenPermissions,
} as const

function witnessTypes<const fields extends readonly { name: string; type: string }[]>(
  fields: fields,
) {
  return {
    PermitWitnessTransferFrom: [
      { name: 'permitted', type: 'TokenPermissions' },
      { name: 'spender', type: 'address' },
      { name: 'nonce', type: 'uint256' },
      { name: 'deadline', type: 'uint256' },
      { name: 'witness', type: 'Witness' },
    ],
    TokenPermissions: tokenPermissions,
    Witness: fields,
  } as const
}

const uptoTypes = witnessTypes([
  { name: 'to', type: 'address' },
  { name: 'facilitator', type: 'address' },
  { name: 'validAfter', type: 'uint256' },
] as const)

const exactTypes = witnessTypes([
  { name: 'to', type: 'address' },
  { name: 'validAfter', type: 'uint256' },
] as const)

/** Runtime code of an EIP-1271 account that accepts exactly the digest stored in slot 0. */
const approvedDigestAccountCode = '0x60043560005414631626ba7e0260e01b60005260206000f3'

// Errors of Permit2 and the token surface through the proxies' calls: decode them too.
const permit2Errors = permit2Abi.filter((item) => item.type === 'error')
const tokenErrors = opgTokenAbi.filter((item) => item.type === 'error')
const permit2WithTokenErrors = [...permit2Abi, ...tokenErrors]
const uptoProxyAbi = [...x402UptoPermit2ProxyAbi, ...permit2Errors, ...tokenErrors]
const exactProxyAbi = [...x402ExactPermit2ProxyAbi, ...permit2Errors, ...tokenErrors]

let anvil: Anvil
let token: Address
let nextNonce = 1n

beforeAll(async () => {
  anvil = await startAnvil()
  const [alice] = anvil.accounts
  for (const [address, bytecode] of [
    [permit2Address, permit2DeployedBytecode],
    [x402UptoPermit2ProxyAddress, x402UptoPermit2ProxyDeployedBytecode],
    [x402ExactPermit2ProxyAddress, x402ExactPermit2ProxyDeployedBytecode],
  ] as const)
    await anvil.testClient.setCode({ address, bytecode })
  const hash = await anvil.walletClient(alice).deployContract({
    abi: opgTokenAbi,
    bytecode: opgTokenBytecode,
    args: [alice.address],
  })
  token = (await anvil.publicClient.waitForTransactionReceipt({ hash })).contractAddress!
  await mined(alice, {
    address: token,
    abi: opgTokenAbi,
    functionName: 'mint',
    args: [alice.address, parseEther('1000')],
  })
  await mined(alice, {
    address: token,
    abi: opgTokenAbi,
    functionName: 'approve',
    args: [permit2Address, maxUint256],
  })
})

afterAll(async () => {
  await anvil?.stop()
})

// biome-ignore lint/suspicious/noExplicitAny: any contract call of this file
async function mined(account: Account, call: any) {
  const client = anvil.accountClient(account)
  const hash = await client.writeContract({ ...call, account, chain: anvil.chain })
  const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  return receipt
}

/** The name of the custom error a call reverts with. */
// biome-ignore lint/suspicious/noExplicitAny: any contract call of this file
async function refusal(account: Account, call: any): Promise<string> {
  const error = await anvil
    .accountClient(account)
    .simulateContract({ ...call, account })
    .then(
      () => undefined,
      (error: BaseError) => error,
    )
  expect(error, 'the call should revert').toBeDefined()
  const revert = error?.walk((cause) => cause instanceof ContractFunctionRevertedError)
  return (revert as ContractFunctionRevertedError | null)?.data?.errorName ?? String(error)
}

async function balanceOf(address: Address): Promise<bigint> {
  return anvil.publicClient.readContract({
    address: token,
    abi: opgTokenAbi,
    functionName: 'balanceOf',
    args: [address],
  })
}

async function now(): Promise<bigint> {
  return (await anvil.publicClient.getBlock()).timestamp
}

const domain = () =>
  ({ name: 'Permit2', chainId: anvil.chain.id, verifyingContract: permit2Address }) as const

async function permit(amount: bigint, overrides: { nonce?: bigint; deadline?: bigint } = {}) {
  return {
    permitted: { token, amount },
    nonce: overrides.nonce ?? nextNonce++,
    deadline: overrides.deadline ?? (await now()) + 600n,
  }
}

type Permit = Awaited<ReturnType<typeof permit>>

function signPermit(signer: Account, value: Permit, spender: Address): Promise<Hex> {
  return anvil.walletClient(signer).signTypedData({
    account: signer,
    domain: domain(),
    types: permitTypes,
    primaryType: 'PermitTransferFrom',
    message: { ...value, spender },
  })
}

type UptoWitness = { to: Address; facilitator: Address; validAfter: bigint }

function signUpto(signer: Account, value: Permit, witness: UptoWitness): Promise<Hex> {
  return anvil.walletClient(signer).signTypedData({
    account: signer,
    domain: domain(),
    types: uptoTypes,
    primaryType: 'PermitWitnessTransferFrom',
    message: { ...value, spender: x402UptoPermit2ProxyAddress, witness },
  })
}

describe('Permit2', () => {
  test('default: the domain has no version and follows the chain and address', async () => {
    const separator = await anvil.publicClient.readContract({
      address: permit2Address,
      abi: permit2Abi,
      functionName: 'DOMAIN_SEPARATOR',
    })
    expect(separator).toBe(domainSeparator({ domain: domain() }))
  })

  test('behavior: permitTransferFrom moves the requested amount once and spends the nonce', async () => {
    const [alice, bob, carol] = anvil.accounts
    const value = await permit(parseEther('10'), { nonce: 0x1_05n })
    const signature = await signPermit(alice, value, bob.address)
    const call = {
      address: permit2Address,
      abi: permit2WithTokenErrors,
      functionName: 'permitTransferFrom',
      args: [
        value,
        { to: carol.address, requestedAmount: parseEther('4') },
        alice.address,
        signature,
      ],
    }
    const before = await balanceOf(carol.address)
    await mined(bob, call)
    expect((await balanceOf(carol.address)) - before).toBe(parseEther('4'))
    // Nonce 0x105 is bit 5 of word 1.
    expect(
      await anvil.publicClient.readContract({
        address: permit2Address,
        abi: permit2Abi,
        functionName: 'nonceBitmap',
        args: [alice.address, 1n],
      }),
    ).toBe(1n << 5n)
    expect(await refusal(bob, call)).toBe('InvalidNonce')
  })

  test('behavior: a compact EIP-2098 signature is accepted', async () => {
    const [alice, bob, carol] = anvil.accounts
    const value = await permit(parseEther('1'))
    const signature = await signPermit(alice, value, bob.address)
    const compact = serializeCompactSignature(
      signatureToCompactSignature(parseSignature(signature)),
    )
    expect((compact.length - 2) / 2).toBe(64)
    const before = await balanceOf(carol.address)
    await mined(bob, {
      address: permit2Address,
      abi: permit2WithTokenErrors,
      functionName: 'permitTransferFrom',
      args: [
        value,
        { to: carol.address, requestedAmount: parseEther('1') },
        alice.address,
        compact,
      ],
    })
    expect((await balanceOf(carol.address)) - before).toBe(parseEther('1'))
  })

  test('behavior: an EIP-1271 account approves the digest it is shown', async () => {
    const [alice, bob, carol] = anvil.accounts
    const wallet = '0x00000000000000000000000000000000000a1271' as const
    await anvil.testClient.setCode({ address: wallet, bytecode: approvedDigestAccountCode })
    await mined(alice, {
      address: token,
      abi: opgTokenAbi,
      functionName: 'transfer',
      args: [wallet, parseEther('3')],
    })
    await anvil.testClient.impersonateAccount({ address: wallet })
    await anvil.testClient.setBalance({ address: wallet, value: parseEther('1') })
    const approveHash = await anvil.walletClient(alice).writeContract({
      account: wallet,
      chain: anvil.chain,
      address: token,
      abi: opgTokenAbi,
      functionName: 'approve',
      args: [permit2Address, maxUint256],
    })
    await anvil.publicClient.waitForTransactionReceipt({ hash: approveHash })
    await anvil.testClient.stopImpersonatingAccount({ address: wallet })

    const value = await permit(parseEther('2'))
    const call = {
      address: permit2Address,
      abi: permit2WithTokenErrors,
      functionName: 'permitTransferFrom',
      args: [value, { to: carol.address, requestedAmount: parseEther('2') }, wallet, '0x'],
    }
    expect(await refusal(bob, call)).toBe('InvalidContractSignature')

    const digest = hashTypedData({
      domain: domain(),
      types: permitTypes,
      primaryType: 'PermitTransferFrom',
      message: { ...value, spender: bob.address },
    })
    await anvil.testClient.setStorageAt({ address: wallet, index: 0, value: digest })
    const before = await balanceOf(carol.address)
    await mined(bob, call)
    expect((await balanceOf(carol.address)) - before).toBe(parseEther('2'))
  })

  test('error: more than permitted, past the deadline, another spender, a bad signature', async () => {
    const [alice, bob, carol] = anvil.accounts
    const call = (value: Permit, requestedAmount: bigint, signature: Hex) => ({
      address: permit2Address,
      abi: permit2WithTokenErrors,
      functionName: 'permitTransferFrom',
      args: [value, { to: carol.address, requestedAmount }, alice.address, signature],
    })

    const value = await permit(parseEther('1'))
    const signature = await signPermit(alice, value, bob.address)
    expect(await refusal(bob, call(value, parseEther('1') + 1n, signature))).toBe('InvalidAmount')
    // Signed for bob: carol submitting it recovers another signer.
    expect(await refusal(carol, call(value, 1n, signature))).toBe('InvalidSigner')
    expect(await refusal(bob, call(value, 1n, '0x1234'))).toBe('InvalidSignatureLength')
    expect(await refusal(bob, call(value, 1n, `0x${'00'.repeat(65)}`))).toBe('InvalidSignature')

    const expired = await permit(1n, { deadline: (await now()) - 1n })
    const expiredSignature = await signPermit(alice, expired, bob.address)
    expect(await refusal(bob, call(expired, 1n, expiredSignature))).toBe('SignatureExpired')
  })

  test('error: invalidateUnorderedNonces cancels unspent permits', async () => {
    const [alice, bob, carol] = anvil.accounts
    const value = await permit(1n, { nonce: (7n << 8n) | 3n })
    const signature = await signPermit(alice, value, bob.address)
    const receipt = await mined(alice, {
      address: permit2Address,
      abi: permit2Abi,
      functionName: 'invalidateUnorderedNonces',
      args: [7n, 1n << 3n],
    })
    expect(parseEventLogs({ abi: permit2Abi, logs: receipt.logs })[0]?.args).toEqual({
      owner: alice.address,
      word: 7n,
      mask: 8n,
    })
    expect(
      await refusal(bob, {
        address: permit2Address,
        abi: permit2WithTokenErrors,
        functionName: 'permitTransferFrom',
        args: [value, { to: carol.address, requestedAmount: 1n }, alice.address, signature],
      }),
    ).toBe('InvalidNonce')
  })

  test('error: the token refuses without an approval to Permit2', async () => {
    const [alice, bob, carol] = anvil.accounts
    // bob holds tokens but never approved Permit2.
    await mined(alice, {
      address: token,
      abi: opgTokenAbi,
      functionName: 'transfer',
      args: [bob.address, parseEther('1')],
    })
    const value = await permit(parseEther('1'))
    const signature = await signPermit(bob, value, carol.address)
    expect(
      await refusal(carol, {
        address: permit2Address,
        abi: permit2WithTokenErrors,
        functionName: 'permitTransferFrom',
        args: [value, { to: carol.address, requestedAmount: 1n }, bob.address, signature],
      }),
    ).toBe('ERC20InsufficientAllowance')
  })
})

describe('X402UptoPermit2Proxy', () => {
  test('default: Permit2 address and witness type', async () => {
    const read = (functionName: 'PERMIT2' | 'WITNESS_TYPEHASH' | 'WITNESS_TYPE_STRING') =>
      anvil.publicClient.readContract({
        address: x402UptoPermit2ProxyAddress,
        abi: x402UptoPermit2ProxyAbi,
        functionName,
      })
    expect(await read('PERMIT2')).toBe(permit2Address)
    expect(await read('WITNESS_TYPEHASH')).toBe(
      keccak256(toHex('Witness(address to,address facilitator,uint256 validAfter)')),
    )
    expect(await read('WITNESS_TYPE_STRING')).toBe(
      'Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,address facilitator,uint256 validAfter)',
    )
  })

  test('behavior: the named facilitator settles any amount up to the cap, once', async () => {
    const [alice, bob, carol] = anvil.accounts
    const value = await permit(parseEther('1'))
    const witness = { to: carol.address, facilitator: bob.address, validAfter: 0n }
    const signature = await signUpto(alice, value, witness)
    const call = {
      address: x402UptoPermit2ProxyAddress,
      abi: uptoProxyAbi,
      functionName: 'settle',
      args: [value, parseEther('0.25'), alice.address, witness, signature],
    }
    const payer = await balanceOf(alice.address)
    const payee = await balanceOf(carol.address)
    const receipt = await mined(bob, call)
    expect(await balanceOf(alice.address)).toBe(payer - parseEther('0.25'))
    expect(await balanceOf(carol.address)).toBe(payee + parseEther('0.25'))
    expect(
      parseEventLogs({ abi: x402UptoPermit2ProxyAbi, logs: receipt.logs }).map(
        (log) => log.eventName,
      ),
    ).toEqual(['Settled'])
    expect(await refusal(bob, call)).toBe('InvalidNonce')
  })

  test('error: another caller, an amount over the cap, too early, a changed witness', async () => {
    const [alice, bob, carol] = anvil.accounts
    const value = await permit(parseEther('1'))
    const witness = { to: carol.address, facilitator: bob.address, validAfter: 0n }
    const signature = await signUpto(alice, value, witness)
    const call = (amount: bigint, signed: UptoWitness = witness) => ({
      address: x402UptoPermit2ProxyAddress,
      abi: uptoProxyAbi,
      functionName: 'settle',
      args: [value, amount, alice.address, signed, signature],
    })
    expect(await refusal(carol, call(1n))).toBe('UnauthorizedFacilitator')
    expect(await refusal(bob, call(parseEther('1') + 1n))).toBe('AmountExceedsPermitted')
    // Redirecting the payment changes the witness hash, so the signature no longer matches.
    expect(await refusal(bob, call(1n, { ...witness, to: bob.address }))).toBe('InvalidSigner')

    const later = { ...witness, validAfter: (await now()) + 3600n }
    const laterValue = await permit(1n)
    expect(
      await refusal(bob, {
        address: x402UptoPermit2ProxyAddress,
        abi: uptoProxyAbi,
        functionName: 'settle',
        args: [laterValue, 1n, alice.address, later, await signUpto(alice, laterValue, later)],
      }),
    ).toBe('PaymentTooEarly')
  })

  test('behavior: settleWithPermit submits an EIP-2612 approval first', async () => {
    // carol holds tokens but never approved Permit2 on the token.
    const [alice, bob, payer] = anvil.accounts
    await mined(alice, {
      address: token,
      abi: opgTokenAbi,
      functionName: 'transfer',
      args: [payer.address, parseEther('2')],
    })
    const value = await permit(parseEther('1'))
    const witness = { to: bob.address, facilitator: bob.address, validAfter: 0n }
    const signature = await signUpto(payer, value, witness)
    const nonce = await anvil.publicClient.readContract({
      address: token,
      abi: opgTokenAbi,
      functionName: 'nonces',
      args: [payer.address],
    })
    const approval = parseSignature(
      await anvil.walletClient(payer).signTypedData({
        account: payer,
        domain: {
          name: 'OpenGradient',
          version: '1',
          chainId: anvil.chain.id,
          verifyingContract: token,
        },
        types: {
          Permit: [
            { name: 'owner', type: 'address' },
            { name: 'spender', type: 'address' },
            { name: 'value', type: 'uint256' },
            { name: 'nonce', type: 'uint256' },
            { name: 'deadline', type: 'uint256' },
          ],
        },
        primaryType: 'Permit',
        message: {
          owner: payer.address,
          spender: permit2Address,
          value: parseEther('1'),
          nonce,
          deadline: value.deadline,
        },
      }),
    )
    const permit2612 = {
      value: parseEther('1'),
      deadline: value.deadline,
      r: approval.r,
      s: approval.s,
      v: 27 + approval.yParity,
    }
    const settleWithPermit = (submitted: typeof permit2612) => ({
      address: x402UptoPermit2ProxyAddress,
      abi: uptoProxyAbi,
      functionName: 'settleWithPermit',
      args: [submitted, value, parseEther('0.5'), payer.address, witness, signature],
    })
    expect(await refusal(bob, settleWithPermit({ ...permit2612, value: parseEther('0.5') }))).toBe(
      'Permit2612AmountMismatch',
    )
    const before = await balanceOf(bob.address)
    const receipt = await mined(bob, settleWithPermit(permit2612))
    expect((await balanceOf(bob.address)) - before).toBe(parseEther('0.5'))
    expect(
      parseEventLogs({ abi: x402UptoPermit2ProxyAbi, logs: receipt.logs }).map(
        (log) => log.eventName,
      ),
    ).toEqual(['SettledWithPermit'])
  })
})

describe('X402ExactPermit2Proxy', () => {
  test('behavior: anyone settles the full permitted amount to the witness, once', async () => {
    const [alice, bob, carol] = anvil.accounts
    const value = await permit(parseEther('0.3'))
    const witness = { to: carol.address, validAfter: 0n }
    const signature = await anvil.walletClient(alice).signTypedData({
      account: alice,
      domain: domain(),
      types: exactTypes,
      primaryType: 'PermitWitnessTransferFrom',
      message: { ...value, spender: x402ExactPermit2ProxyAddress, witness },
    })
    const call = {
      address: x402ExactPermit2ProxyAddress,
      abi: exactProxyAbi,
      functionName: 'settle',
      args: [value, alice.address, witness, signature],
    }
    const before = await balanceOf(carol.address)
    await mined(bob, call)
    expect((await balanceOf(carol.address)) - before).toBe(parseEther('0.3'))
    expect(await refusal(bob, call)).toBe('InvalidNonce')
    expect(
      await anvil.publicClient.readContract({
        address: x402ExactPermit2ProxyAddress,
        abi: x402ExactPermit2ProxyAbi,
        functionName: 'WITNESS_TYPEHASH',
      }),
    ).toBe(keccak256(toHex('Witness(address to,uint256 validAfter)')))
  })

  test('error: a zero amount, a zero destination', async () => {
    const [alice, bob] = anvil.accounts
    const zero = await permit(0n)
    const witness = { to: bob.address, validAfter: 0n }
    const call = (value: Permit, signed: typeof witness) => ({
      address: x402ExactPermit2ProxyAddress,
      abi: exactProxyAbi,
      functionName: 'settle',
      args: [value, alice.address, signed, '0x'],
    })
    expect(await refusal(bob, call(zero, witness))).toBe('InvalidAmount')
    expect(
      await refusal(
        bob,
        call(await permit(1n), { ...witness, to: '0x0000000000000000000000000000000000000000' }),
      ),
    ).toBe('InvalidDestination')
  })
})
