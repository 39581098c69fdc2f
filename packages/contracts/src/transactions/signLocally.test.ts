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
