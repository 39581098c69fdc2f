import { type Hex, keccak256 } from 'viem'
import { mnemonicToAccount, privateKeyToAccount, toAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { signLocally } from './signLocally.js'

const key = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
const data = `0x${'5a'.repeat(1900)}` as Hex

describe('signLocally', () => {
  test('default: the same bytes as signTransaction, for legacy and EIP-1559, key and HD accounts', async () => {
    const accounts = [
      privateKeyToAccount(key),
      mnemonicToAccount('test test test test test test test test test test test junk'),
    ]
    for (const account of accounts) {
      for (let nonce = 0; nonce < 20; nonce++) {
        const transaction =
          nonce % 2
            ? ({
                type: 'legacy',
                chainId: 10744,
                to: account.address,
                data,
                gas: 1_000_000n + BigInt(nonce),
                gasPrice: 7n,
                nonce,
              } as const)
            : ({
                type: 'eip1559',
                chainId: 10744,
                to: null,
                data: data.slice(0, 2 + nonce * 2) as Hex,
                gas: 21_000n,
                maxFeePerGas: 9n,
                maxPriorityFeePerGas: 1n,
                nonce,
              } as const)
        expect(await signLocally(account, transaction)).toBe(
          await account.signTransaction(transaction),
        )
      }
    }
  })

  test('behavior: the same bytes as signTransaction at every RLP length boundary and for a deployment', async () => {
    const account = privateKeyToAccount(key)
    const sizes = [0, 1, 54, 55, 56, 255, 256, 65_535, 65_536, 70_000]
    const bytes = ['00', '7f', '80', 'ff']
    for (const [index, size] of sizes.entries()) {
      const body = bytes[index % bytes.length]!.repeat(size)
      for (const to of [null, '0x000000000000000000000000000000000000dEaD'] as const) {
        const legacy = {
          type: 'legacy',
          chainId: 1,
          to,
          data: `0x${body}` as Hex,
          gas: 2n ** 64n,
          gasPrice: 0n,
          nonce: index * 1000,
        } as const
        expect(await signLocally(account, legacy)).toBe(await account.signTransaction(legacy))
        const eip1559 = {
          type: 'eip1559',
          chainId: 10744,
          to,
          data: `0x${body}` as Hex,
          gas: 0n,
          maxFeePerGas: 2n ** 255n,
          maxPriorityFeePerGas: 0n,
          nonce: 0,
        } as const
        expect(await signLocally(account, eip1559)).toBe(await account.signTransaction(eip1559))
      }
    }
  })

  test('behavior: transactions the fast path does not build are signed by viem, with its errors', async () => {
    const account = privateKeyToAccount(key)
    const withValue = {
      type: 'eip1559',
      chainId: 10744,
      to: account.address,
      value: 5n,
      accessList: [{ address: account.address, storageKeys: [] }],
      gas: 21_000n,
      maxFeePerGas: 9n,
      maxPriorityFeePerGas: 1n,
      nonce: 3,
    } as const
    expect(await signLocally(account, withValue)).toBe(await account.signTransaction(withValue))
    await expect(
      signLocally(account, { ...withValue, value: undefined, maxPriorityFeePerGas: 10n }),
    ).rejects.toThrow(/maxPriorityFeePerGas/)
    await expect(
      signLocally(account, { ...withValue, value: undefined, to: '0xnot-an-address' as Hex }),
    ).rejects.toThrow(/Address/)
  })

  test('behavior: an account without a key of its own signs the whole transaction', async () => {
    const inner = privateKeyToAccount(key)
    const seen: unknown[] = []
    const wallet = toAccount({
      address: inner.address,
      signMessage: (parameters) => inner.signMessage(parameters),
      signTypedData: (parameters) => inner.signTypedData(parameters as never),
      async signTransaction(transaction) {
        seen.push(transaction)
        return await inner.signTransaction(transaction)
      },
    })
    const transaction = {
      type: 'legacy',
      chainId: 10744,
      to: inner.address,
      data,
      gas: 1n,
      gasPrice: 1n,
      nonce: 0,
    } as const
    const signed = await signLocally(wallet, transaction)
    expect(seen).toHaveLength(1)
    expect(keccak256(signed)).toBe(keccak256(await inner.signTransaction(transaction)))
  })
})
