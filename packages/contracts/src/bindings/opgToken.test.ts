import {
  type Account,
  type Address,
  domainSeparator,
  getAddress,
  type Hex,
  keccak256,
  parseEther,
  parseEventLogs,
  parseSignature,
  toHex,
} from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { opgTokenAbi, opgTokenBytecode, opgTokenDeployedBytecode } from '../generated/OPGToken.js'
import { type Anvil, startAnvil } from '../test/anvil.js'
import { getOpgTokenContract } from './opgToken.js'

const secp256k1Order = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

const authorizationTypes = {
  TransferWithAuthorization: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' },
    { name: 'nonce', type: 'bytes32' },
  ],
  ReceiveWithAuthorization: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' },
    { name: 'nonce', type: 'bytes32' },
  ],
} as const

let anvil: Anvil
let tokenAddress: Address

beforeAll(async () => {
  anvil = await startAnvil()
  const [alice] = anvil.accounts
  const hash = await anvil.walletClient(alice).deployContract({
    abi: opgTokenAbi,
    bytecode: opgTokenBytecode,
    args: [alice.address],
  })
  tokenAddress = (await anvil.publicClient.waitForTransactionReceipt({ hash })).contractAddress!
})

afterAll(async () => {
  await anvil?.stop()
})

function token(account: Account, address: Address = tokenAddress) {
  return getOpgTokenContract({
    client: anvil.accountClient(account),
    address,
  })
}

async function mined(hash: Hex) {
  const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  return parseEventLogs({ abi: opgTokenAbi, logs: receipt.logs })
}

async function now(): Promise<bigint> {
  return (await anvil.publicClient.getBlock()).timestamp
}

function domain(verifyingContract: Address = tokenAddress) {
  return { name: 'OpenGradient', version: '1', chainId: anvil.chain.id, verifyingContract } as const
}

async function signAuthorization(
  signer: Account,
  primaryType: keyof typeof authorizationTypes,
  message: {
    from: Address
    to: Address
    value: bigint
    validAfter: bigint
    validBefore: bigint
    nonce: Hex
  },
) {
  const signature = await anvil.walletClient(signer).signTypedData({
    account: signer,
    domain: domain(),
    types: authorizationTypes,
    primaryType,
    message,
  })
  const { r, s, yParity } = parseSignature(signature)
  return { v: 27 + yParity, r, s }
}

describe('OPGToken', () => {
  test('default: metadata and EIP-712 domain', async () => {
    const read = token(anvil.accounts[0]).read
    expect(await read.name()).toBe('OpenGradient')
    expect(await read.symbol()).toBe('OPG')
    expect(await read.decimals()).toBe(18)
    expect(await read.owner()).toBe(anvil.accounts[0].address)
    expect(await read.DOMAIN_SEPARATOR()).toBe(domainSeparator({ domain: domain() }))
    expect(await read.eip712Domain()).toEqual([
      '0x0f',
      'OpenGradient',
      '1',
      BigInt(anvil.chain.id),
      getAddress(tokenAddress),
      toHex(0n, { size: 32 }),
      [],
    ])
  })

  test('behavior: the owner mints; anyone else is refused', async () => {
    const [alice, bob, carol] = anvil.accounts
    const events = await mined(await token(alice).write.mint([bob.address, parseEther('100')]))
    expect(events.map((event) => [event.eventName, event.args])).toEqual([
      [
        'Transfer',
        {
          from: '0x0000000000000000000000000000000000000000',
          to: bob.address,
          value: parseEther('100'),
        },
      ],
    ])
    expect(await token(alice).read.balanceOf([bob.address])).toBe(parseEther('100'))
    expect(await token(alice).read.totalSupply()).toBe(parseEther('100'))
    await expect(token(carol).simulate.mint([carol.address, 1n])).rejects.toThrow('Unauthorized')
  })

  test('behavior: permit sets an allowance from a signature, once', async () => {
    const [, bob, carol] = anvil.accounts
    const deadline = (await now()) + 3600n
    const message = {
      owner: bob.address,
      spender: carol.address,
      value: parseEther('5'),
      nonce: 0n,
      deadline,
    }
    const signature = await anvil.walletClient(bob).signTypedData({
      account: bob,
      domain: domain(),
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
      message,
    })
    const { r, s, yParity } = parseSignature(signature)
    const args = [
      bob.address,
      carol.address,
      parseEther('5'),
      deadline,
      27 + yParity,
      r,
      s,
    ] as const

    // Anyone may submit the permit; carol does.
    const events = await mined(await token(carol).write.permit(args))
    expect(events[0]?.eventName).toBe('Approval')
    expect(await token(carol).read.allowance([bob.address, carol.address])).toBe(parseEther('5'))
    expect(await token(carol).read.nonces([bob.address])).toBe(1n)

    // The nonce moved on, so the same signature now recovers someone else.
    await expect(token(carol).simulate.permit(args)).rejects.toThrow('ERC2612InvalidSigner')

    await mined(
      await token(carol).write.transferFrom([bob.address, carol.address, parseEther('2')]),
    )
    expect(await token(carol).read.allowance([bob.address, carol.address])).toBe(parseEther('3'))
    expect(await token(carol).read.balanceOf([carol.address])).toBe(parseEther('2'))
  })

  test('error: an expired permit is refused', async () => {
    const [, bob, carol] = anvil.accounts
    const deadline = (await now()) - 1n
    await expect(
      token(carol).simulate.permit([
        bob.address,
        carol.address,
        1n,
        deadline,
        27,
        toHex(1n, { size: 32 }),
        toHex(1n, { size: 32 }),
      ]),
    ).rejects.toThrow('ERC2612ExpiredSignature')
  })

  test('behavior: transferWithAuthorization moves tokens once, submitted by anyone', async () => {
    const [alice, bob, carol] = anvil.accounts
    const nonce = keccak256(toHex('payment-1'))
    const message = {
      from: bob.address,
      to: alice.address,
      value: parseEther('1'),
      validAfter: 0n,
      validBefore: (await now()) + 3600n,
      nonce,
    }
    const { v, r, s } = await signAuthorization(bob, 'TransferWithAuthorization', message)
    const args = [
      message.from,
      message.to,
      message.value,
      message.validAfter,
      message.validBefore,
      nonce,
      v,
      r,
      s,
    ] as const

    // The mirrored signature (n - s, other parity) is just as valid for ecrecover; EIP-2 refuses it.
    const highS = toHex(secp256k1Order - BigInt(s), { size: 32 })
    await expect(
      token(carol).simulate.transferWithAuthorization([
        message.from,
        message.to,
        message.value,
        message.validAfter,
        message.validBefore,
        nonce,
        v === 27 ? 28 : 27,
        r,
        highS,
      ]),
    ).rejects.toThrow('InvalidSignature')

    expect(await token(carol).read.authorizationState([bob.address, nonce])).toBe(false)
    const events = await mined(await token(carol).write.transferWithAuthorization(args))
    expect(events.map((event) => event.eventName)).toEqual(['AuthorizationUsed', 'Transfer'])
    expect(events[0]?.args).toEqual({ authorizer: bob.address, nonce })
    expect(await token(carol).read.authorizationState([bob.address, nonce])).toBe(true)
    expect(await token(carol).read.balanceOf([alice.address])).toBe(parseEther('1'))

    await expect(token(carol).simulate.transferWithAuthorization(args)).rejects.toThrow(
      'AuthorizationAlreadyUsed',
    )
    // A different amount under the same signature recovers another signer.
    await expect(
      token(carol).simulate.transferWithAuthorization([
        message.from,
        message.to,
        parseEther('2'),
        message.validAfter,
        message.validBefore,
        keccak256(toHex('payment-other')),
        v,
        r,
        s,
      ]),
    ).rejects.toThrow('InvalidAuthorizationSigner')
  })

  test('error: authorizations outside their validity window are refused', async () => {
    const [alice, bob, carol] = anvil.accounts
    const timestamp = await now()
    for (const [validAfter, validBefore, error] of [
      [timestamp + 1000n, timestamp + 2000n, 'AuthorizationNotYetValid'],
      [0n, timestamp, 'AuthorizationExpired'],
    ] as const) {
      const message = {
        from: bob.address,
        to: alice.address,
        value: 1n,
        validAfter,
        validBefore,
        nonce: keccak256(toHex(error)),
      }
      const { v, r, s } = await signAuthorization(bob, 'TransferWithAuthorization', message)
      await expect(
        token(carol).simulate.transferWithAuthorization([
          message.from,
          message.to,
          message.value,
          validAfter,
          validBefore,
          message.nonce,
          v,
          r,
          s,
        ]),
      ).rejects.toThrow(error)
    }
  })

  test('behavior: receiveWithAuthorization must be submitted by the payee', async () => {
    const [alice, bob, carol] = anvil.accounts
    const message = {
      from: bob.address,
      to: carol.address,
      value: parseEther('1'),
      validAfter: 0n,
      validBefore: (await now()) + 3600n,
      nonce: keccak256(toHex('receive-1')),
    }
    const { v, r, s } = await signAuthorization(bob, 'ReceiveWithAuthorization', message)
    const args = [
      message.from,
      message.to,
      message.value,
      message.validAfter,
      message.validBefore,
      message.nonce,
      v,
      r,
      s,
    ] as const
    await expect(token(alice).simulate.receiveWithAuthorization(args)).rejects.toThrow(
      'CallerNotPayee',
    )
    const balanceBefore = await token(carol).read.balanceOf([carol.address])
    await mined(await token(carol).write.receiveWithAuthorization(args))
    expect(await token(carol).read.balanceOf([carol.address])).toBe(balanceBefore + parseEther('1'))

    // A receive signature is not a transfer signature: the type hashes differ.
    const unused = { ...message, nonce: keccak256(toHex('receive-2')) }
    const receiveOnly = await signAuthorization(bob, 'ReceiveWithAuthorization', unused)
    await expect(
      token(alice).simulate.transferWithAuthorization([
        unused.from,
        unused.to,
        unused.value,
        unused.validAfter,
        unused.validBefore,
        unused.nonce,
        receiveOnly.v,
        receiveOnly.r,
        receiveOnly.s,
      ]),
    ).rejects.toThrow('InvalidAuthorizationSigner')
  })

  test('behavior: a cancelled authorization can no longer be used', async () => {
    const [alice, bob, carol] = anvil.accounts
    const nonce = keccak256(toHex('cancel-me'))
    const cancelSignature = await anvil.walletClient(bob).signTypedData({
      account: bob,
      domain: domain(),
      types: {
        CancelAuthorization: [
          { name: 'authorizer', type: 'address' },
          { name: 'nonce', type: 'bytes32' },
        ],
      },
      primaryType: 'CancelAuthorization',
      message: { authorizer: bob.address, nonce },
    })
    const cancel = parseSignature(cancelSignature)
    const events = await mined(
      await token(carol).write.cancelAuthorization([
        bob.address,
        nonce,
        27 + cancel.yParity,
        cancel.r,
        cancel.s,
      ]),
    )
    expect(events.map((event) => [event.eventName, event.args])).toEqual([
      ['AuthorizationCanceled', { authorizer: bob.address, nonce }],
    ])

    const message = {
      from: bob.address,
      to: alice.address,
      value: 1n,
      validAfter: 0n,
      validBefore: (await now()) + 3600n,
      nonce,
    }
    const { v, r, s } = await signAuthorization(bob, 'TransferWithAuthorization', message)
    await expect(
      token(carol).simulate.transferWithAuthorization([
        message.from,
        message.to,
        message.value,
        message.validAfter,
        message.validBefore,
        nonce,
        v,
        r,
        s,
      ]),
    ).rejects.toThrow('AuthorizationAlreadyUsed')
  })

  test('behavior: an infinite allowance is never decreased', async () => {
    const [alice, bob] = anvil.accounts
    const maxUint256 = 2n ** 256n - 1n
    await mined(await token(bob).write.approve([alice.address, maxUint256]))
    await mined(await token(alice).write.transferFrom([bob.address, alice.address, 1n]))
    expect(await token(alice).read.allowance([bob.address, alice.address])).toBe(maxUint256)
  })

  test('error: transfers beyond the balance or allowance are refused', async () => {
    const [alice, , carol] = anvil.accounts
    await expect(
      token(carol).simulate.transfer([alice.address, parseEther('1000')]),
    ).rejects.toThrow('ERC20InsufficientBalance')
    await expect(
      token(carol).simulate.transferFrom([alice.address, carol.address, 1n]),
    ).rejects.toThrow('ERC20InsufficientAllowance')
    await expect(
      token(carol).simulate.transfer(['0x0000000000000000000000000000000000000000', 1n]),
    ).rejects.toThrow('ERC20InvalidReceiver')
  })

  test('behavior: runtime code installed at another address signs for that address', async () => {
    const [alice] = anvil.accounts
    const installed: Address = '0x0000000000000000000000000000000000C0FFEE'
    await anvil.testClient.setCode({ address: installed, bytecode: opgTokenDeployedBytecode })
    expect(await token(alice, installed).read.DOMAIN_SEPARATOR()).toBe(
      domainSeparator({ domain: domain(installed) }),
    )
  })
})
