// x402 payments on the devnet chain, made by the official `@x402/evm` client schemes and
// verified and settled by its facilitator schemes against our OPG, Permit2 and proxies.

import { opgTokenAbi, permit2Abi, x402UptoPermit2ProxyAbi } from '@opengradient/contracts'
import {
  devnetOpgTokenAddress,
  permit2Address,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyAddress,
} from '@opengradient/core'
import type { PaymentPayload, PaymentRequirements } from '@x402/core/types'
import { type FacilitatorEvmSigner, toClientEvmSigner, toFacilitatorEvmSigner } from '@x402/evm'
import { ExactEvmScheme as ExactClientScheme } from '@x402/evm/exact/client'
import { ExactEvmScheme as ExactFacilitatorScheme } from '@x402/evm/exact/facilitator'
import { UptoEvmScheme as UptoClientScheme } from '@x402/evm/upto/client'
import { UptoEvmScheme as UptoFacilitatorScheme } from '@x402/evm/upto/facilitator'
import {
  type Address,
  type BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  getContractAddress,
  http,
  maxUint256,
  parseEther,
  publicActions,
} from 'viem'
import { generatePrivateKey, type LocalAccount, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { devPrivateKeys } from '../accounts.js'
import { type Devnet, startDevnet } from '../startDevnet.js'
import { devnetDeployerAddress, devnetOpgPerAccount } from './deployPaymentContracts.js'

const network = 'eip155:10744'
const payer = privateKeyToAccount(devPrivateKeys[1]!)
// Holds OPG but never approves Permit2.
const unapprovedPayer = privateKeyToAccount(devPrivateKeys[2]!)
const facilitatorAccount = privateKeyToAccount(devPrivateKeys[9]!)
const otherFacilitatorAccount = privateKeyToAccount(devPrivateKeys[8]!)
const sessionCap = parseEther('0.1')

let devnet: Devnet

beforeAll(async () => {
  devnet = await startDevnet({ temporary: true, port: 0 })
  const wallet = walletOf(payer)
  const hash = await wallet.writeContract({
    address: devnetOpgTokenAddress,
    abi: opgTokenAbi,
    functionName: 'approve',
    args: [permit2Address, maxUint256],
  })
  expect((await wallet.waitForTransactionReceipt({ hash })).status).toBe('success')
})

afterAll(async () => {
  await devnet?.stop()
})

function walletOf(account: LocalAccount) {
  return createWalletClient({
    account,
    chain: devnet.chain,
    transport: http(devnet.rpcUrl),
    pollingInterval: 20,
  }).extend(publicActions)
}

/** A facilitator signer over viem clients of the devnet, as a gateway builds one. */
function facilitatorSigner(account: LocalAccount): FacilitatorEvmSigner {
  const wallet = walletOf(account)
  return toFacilitatorEvmSigner({
    address: account.address,
    readContract: (args) => wallet.readContract(args as never),
    verifyTypedData: (args) => wallet.verifyTypedData(args as never),
    writeContract: (args) => wallet.writeContract(args as never),
    sendTransaction: (args) => wallet.sendTransaction(args),
    waitForTransactionReceipt: (args) => wallet.waitForTransactionReceipt(args),
    getCode: (args) => wallet.getCode(args),
  })
}

function clientSigner(account: LocalAccount) {
  return toClientEvmSigner(
    account,
    createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) }),
  )
}

/** A fresh payee, so its balance shows exactly what a settlement moved. */
function freshPayee(): Address {
  return privateKeyToAccount(generatePrivateKey()).address
}

async function opgBalance(address: Address): Promise<bigint> {
  return walletOf(payer).readContract({
    address: devnetOpgTokenAddress,
    abi: opgTokenAbi,
    functionName: 'balanceOf',
    args: [address],
  })
}

function uptoRequirements(
  payTo: Address,
  overrides: Partial<PaymentRequirements> = {},
): PaymentRequirements {
  return {
    scheme: 'upto',
    network,
    asset: devnetOpgTokenAddress,
    amount: sessionCap.toString(),
    payTo,
    maxTimeoutSeconds: 3600,
    extra: {
      name: 'OpenGradient',
      version: '1',
      assetTransferMethod: 'permit2',
      facilitatorAddress: facilitatorAccount.address,
    },
    ...overrides,
  }
}

function exactRequirements(
  payTo: Address,
  extra: Record<string, unknown> = {},
): PaymentRequirements {
  return {
    scheme: 'exact',
    network,
    asset: devnetOpgTokenAddress,
    amount: parseEther('0.001').toString(),
    payTo,
    maxTimeoutSeconds: 300,
    extra: { name: 'OpenGradient', version: '1', ...extra },
  }
}

/** The `PAYMENT-SIGNATURE` payload a client sends for `requirements`. */
async function pay(
  scheme: UptoClientScheme | ExactClientScheme,
  requirements: PaymentRequirements,
): Promise<PaymentPayload> {
  const created = await scheme.createPaymentPayload(2, requirements)
  return {
    x402Version: 2,
    resource: {
      url: `${devnet.rpcUrl}/v1/chat/completions`,
      description: 'Chat completion',
      mimeType: 'application/json',
    },
    accepted: requirements,
    payload: created.payload,
    ...(created.extensions ? { extensions: created.extensions } : {}),
  }
}

type UptoAuthorization = {
  from: Address
  permitted: { token: Address; amount: string }
  nonce: string
  deadline: string
  witness: { to: Address; facilitator: Address; validAfter: string }
}

/**
 * Calls the upto proxy directly with a signed payload, skipping the facilitator's own checks, to
 * show the chain refuses by itself. Returns the custom error's name.
 */
async function proxyRefusal(
  account: LocalAccount,
  payment: PaymentPayload,
  amount: bigint,
): Promise<string> {
  const { signature, permit2Authorization: authorization } = payment.payload as {
    signature: `0x${string}`
    permit2Authorization: UptoAuthorization
  }
  const error = await walletOf(account)
    .simulateContract({
      address: x402UptoPermit2ProxyAddress,
      abi: [...x402UptoPermit2ProxyAbi, ...permit2Abi.filter((item) => item.type === 'error')],
      functionName: 'settle',
      args: [
        {
          permitted: {
            token: authorization.permitted.token,
            amount: BigInt(authorization.permitted.amount),
          },
          nonce: BigInt(authorization.nonce),
          deadline: BigInt(authorization.deadline),
        },
        amount,
        authorization.from,
        {
          to: authorization.witness.to,
          facilitator: authorization.witness.facilitator,
          validAfter: BigInt(authorization.witness.validAfter),
        },
        signature,
      ],
    })
    .then(
      () => undefined,
      (error: BaseError) => error,
    )
  expect(error, 'the proxy should refuse').toBeDefined()
  const revert = error?.walk((cause) => cause instanceof ContractFunctionRevertedError)
  return (revert as ContractFunctionRevertedError | null)?.data?.errorName ?? String(error)
}

describe('payment contracts', () => {
  test('default: OPG is deployed by the devnet deployer and every dev account holds 10,000 OPG', async () => {
    expect(getContractAddress({ from: devnetDeployerAddress, nonce: 0n })).toBe(
      devnetOpgTokenAddress,
    )
    expect(devnet.addresses).toMatchObject({
      opgToken: devnetOpgTokenAddress,
      permit2: permit2Address,
      x402UptoPermit2Proxy: x402UptoPermit2ProxyAddress,
      x402ExactPermit2Proxy: x402ExactPermit2ProxyAddress,
    })
    expect(devnet.chain.contracts.opgToken.address).toBe(devnetOpgTokenAddress)
    expect(devnet.chain.contracts.permit2.address).toBe(permit2Address)
    const client = walletOf(payer)
    expect(
      await client.readContract({
        address: devnetOpgTokenAddress,
        abi: opgTokenAbi,
        functionName: 'owner',
      }),
    ).toBe(devnetDeployerAddress)
    for (const account of devnet.accounts)
      expect(await opgBalance(account.address)).toBe(devnetOpgPerAccount)
    for (const address of [
      permit2Address,
      x402UptoPermit2ProxyAddress,
      x402ExactPermit2ProxyAddress,
      devnet.addresses.multicall3,
    ])
      expect(await client.getCode({ address })).not.toBe(undefined)
  })
})

describe('upto over Permit2', () => {
  const facilitator = () => new UptoFacilitatorScheme(facilitatorSigner(facilitatorAccount))
  const client = () => new UptoClientScheme(clientSigner(payer))

  test('default: the facilitator settles the used amount, less than the cap, once', async () => {
    const payTo = freshPayee()
    const requirements = uptoRequirements(payTo)
    const payment = await pay(client(), requirements)
    const scheme = facilitator()
    expect(await scheme.verify(payment, requirements)).toEqual({
      isValid: true,
      invalidReason: undefined,
      payer: payer.address,
    })

    const payerBefore = await opgBalance(payer.address)
    const used = parseEther('0.0123')
    const settled = await scheme.settle(payment, { ...requirements, amount: used.toString() })
    expect(settled).toMatchObject({
      success: true,
      network,
      payer: payer.address,
      amount: used.toString(),
    })
    expect(settled.transaction).toMatch(/^0x[0-9a-f]{64}$/)
    expect(await opgBalance(payTo)).toBe(used)
    expect(await opgBalance(payer.address)).toBe(payerBefore - used)

    // The permit's nonce is spent: the same payment can be neither verified nor settled again.
    expect((await scheme.verify(payment, requirements)).isValid).toBe(false)
    const replay = await scheme.settle(payment, { ...requirements, amount: used.toString() })
    expect(replay.success).toBe(false)
    expect(await opgBalance(payTo)).toBe(used)
    expect(await proxyRefusal(facilitatorAccount, payment, used)).toBe('InvalidNonce')
  })

  test('error: a payment that names another facilitator is refused', async () => {
    const payTo = freshPayee()
    const requirements = uptoRequirements(payTo, {
      extra: {
        ...uptoRequirements(payTo).extra,
        facilitatorAddress: otherFacilitatorAccount.address,
      },
    })
    const payment = await pay(client(), requirements)
    const scheme = facilitator()
    expect((await scheme.verify(payment, requirements)).invalidReason).toBe(
      'upto_facilitator_mismatch',
    )
    const settled = await scheme.settle(payment, { ...requirements, amount: '1' })
    expect(settled).toMatchObject({ success: false, errorReason: 'upto_facilitator_mismatch' })
    expect(await proxyRefusal(facilitatorAccount, payment, 1n)).toBe('UnauthorizedFacilitator')
    expect(await opgBalance(payTo)).toBe(0n)
  })

  test('error: an expired permit is refused', async () => {
    const payTo = freshPayee()
    // The client sets the deadline to now + maxTimeoutSeconds: a minute ago.
    const requirements = uptoRequirements(payTo, { maxTimeoutSeconds: -60 })
    const payment = await pay(client(), requirements)
    const scheme = facilitator()
    expect((await scheme.verify(payment, requirements)).invalidReason).toBe(
      'permit2_deadline_expired',
    )
    const settled = await scheme.settle(payment, { ...requirements, amount: '1' })
    expect(settled).toMatchObject({ success: false, errorReason: 'permit2_deadline_expired' })
    expect(await proxyRefusal(facilitatorAccount, payment, 1n)).toBe('SignatureExpired')
    expect(await opgBalance(payTo)).toBe(0n)
  })

  test('error: settling more than the permit allows is refused', async () => {
    const payTo = freshPayee()
    const requirements = uptoRequirements(payTo)
    const payment = await pay(client(), requirements)
    const settled = await facilitator().settle(payment, {
      ...requirements,
      amount: (sessionCap + 1n).toString(),
    })
    expect(settled).toMatchObject({
      success: false,
      errorReason: 'invalid_upto_evm_payload_settlement_exceeds_amount',
    })
    expect(await proxyRefusal(facilitatorAccount, payment, sessionCap + 1n)).toBe(
      'AmountExceedsPermitted',
    )
    expect(await opgBalance(payTo)).toBe(0n)
  })

  test('error: a payer who never approved Permit2 is told so', async () => {
    const requirements = uptoRequirements(freshPayee())
    const payment = await pay(new UptoClientScheme(clientSigner(unapprovedPayer)), requirements)
    expect(await facilitator().verify(payment, requirements)).toEqual({
      isValid: false,
      invalidReason: 'permit2_allowance_required',
      payer: unapprovedPayer.address,
    })
  })
})

describe('exact', () => {
  const facilitator = () => new ExactFacilitatorScheme(facilitatorSigner(facilitatorAccount))
  const client = () => new ExactClientScheme(clientSigner(payer))

  test('default: an EIP-3009 payment moves exactly the amount, once', async () => {
    const payTo = freshPayee()
    const requirements = exactRequirements(payTo)
    const payment = await pay(client(), requirements)
    expect('authorization' in payment.payload).toBe(true)
    const scheme = facilitator()
    expect((await scheme.verify(payment, requirements)).isValid).toBe(true)

    const payerBefore = await opgBalance(payer.address)
    const settled = await scheme.settle(payment, requirements)
    expect(settled).toMatchObject({ success: true, network, payer: payer.address })
    expect(await opgBalance(payTo)).toBe(parseEther('0.001'))
    expect(await opgBalance(payer.address)).toBe(payerBefore - parseEther('0.001'))

    expect(await scheme.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'invalid_exact_evm_nonce_already_used',
    })
    expect((await scheme.settle(payment, requirements)).success).toBe(false)
    expect(await opgBalance(payTo)).toBe(parseEther('0.001'))
  })

  test('behavior: an exact payment over Permit2 goes through the exact proxy, once', async () => {
    const payTo = freshPayee()
    const requirements = exactRequirements(payTo, { assetTransferMethod: 'permit2' })
    const payment = await pay(client(), requirements)
    expect(payment.payload).toMatchObject({
      permit2Authorization: { spender: x402ExactPermit2ProxyAddress },
    })
    const scheme = facilitator()
    expect((await scheme.verify(payment, requirements)).isValid).toBe(true)
    expect(await scheme.settle(payment, requirements)).toMatchObject({ success: true })
    expect(await opgBalance(payTo)).toBe(parseEther('0.001'))
    expect((await scheme.settle(payment, requirements)).success).toBe(false)
    expect(await opgBalance(payTo)).toBe(parseEther('0.001'))
  })

  test('error: a payment signed for another token domain is refused', async () => {
    const payTo = freshPayee()
    const requirements = exactRequirements(payTo, { name: 'USD Coin', version: '2' })
    const payment = await pay(client(), requirements)
    expect(await facilitator().verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'invalid_exact_evm_token_name_mismatch',
    })
    expect((await facilitator().settle(payment, requirements)).success).toBe(false)
    expect(await opgBalance(payTo)).toBe(0n)
  })
})
