import { recoverTransactionAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { devPrivateKeys } from '../accounts.js'
import { recoverSender } from './sender.js'

describe('recoverSender', () => {
  test('default: matches viem on legacy and EIP-1559 transactions, including short r and s', async () => {
    const account = privateKeyToAccount(devPrivateKeys[1]!)
    for (let nonce = 0; nonce < 300; nonce++) {
      const serializedTransaction = await account.signTransaction({
        chainId: 10744,
        to: account.address,
        data: '0xabcdef',
        gas: 100_000n,
        nonce,
        ...(nonce % 2
          ? { type: 'legacy' as const, gasPrice: 1n }
          : { type: 'eip1559' as const, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n }),
      })
      expect(await recoverSender(serializedTransaction)).toBe(account.address)
      if (nonce < 3) {
        expect(
          await recoverTransactionAddress({
            serializedTransaction: serializedTransaction as never,
          }),
        ).toBe(account.address)
      }
    }
  })
})
