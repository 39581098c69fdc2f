import {
  type Hex,
  parseTransaction,
  recoverTransactionAddress,
  type TransactionSerialized,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { devPrivateKeys } from '../accounts.js'
import { readSignedTransaction } from './signedTransaction.js'

const account = privateKeyToAccount(devPrivateKeys[2]!)

/** What viem reads of the same transaction, in the reader's shape. */
async function viemReading(serialized: TransactionSerialized) {
  const transaction = parseTransaction(serialized)
  return {
    from: (await recoverTransactionAddress({ serializedTransaction: serialized })).toLowerCase(),
    to: transaction.to?.toLowerCase() ?? null,
    data: transaction.data ?? '0x',
    value: transaction.value ? `0x${transaction.value.toString(16)}` : undefined,
    gas: `0x${transaction.gas!.toString(16)}`,
    nonce: transaction.nonce ?? 0,
  }
}

async function reading(serialized: TransactionSerialized) {
  const fields = await readSignedTransaction(serialized)
  return { ...fields, from: fields.from.toLowerCase(), to: fields.to?.toLowerCase() ?? null }
}

describe('readSignedTransaction', () => {
  test('default: reads what viem reads, for every kind of transaction the front sees', async () => {
    const longData = `0x${'ab'.repeat(70_000)}` as const
    for (let nonce = 0; nonce < 120; nonce++) {
      const common = {
        chainId: nonce % 5 === 0 ? 1 : 10744,
        to: nonce % 7 === 0 ? null : account.address,
        data: (nonce % 3 === 0 ? longData.slice(0, 2 + (nonce % 61) * 2) : '0xabcdef') as Hex,
        gas: 21_000n + BigInt(nonce) * 1_000_003n,
        value: nonce % 4 === 0 ? 0n : BigInt(nonce) ** 9n,
        nonce: nonce * 977,
      } as const
      const kind = nonce % 3
      const serialized = (await account.signTransaction(
        kind === 0
          ? { ...common, type: 'legacy', gasPrice: 7n }
          : kind === 1
            ? { ...common, type: 'eip2930', gasPrice: 7n, accessList: [] }
            : { ...common, type: 'eip1559', maxFeePerGas: 9n, maxPriorityFeePerGas: 1n },
      )) as TransactionSerialized
      expect(await reading(serialized), `nonce ${nonce}`).toEqual(await viemReading(serialized))
    }
    // Calldata longer than 64 KiB takes three-byte RLP lengths.
    const big = (await account.signTransaction({
      chainId: 10744,
      type: 'eip1559',
      to: account.address,
      data: longData,
      gas: 30_000_000n,
      nonce: 3,
      maxFeePerGas: 2n,
      maxPriorityFeePerGas: 1n,
    })) as TransactionSerialized
    expect(await reading(big)).toEqual(await viemReading(big))
  })

  test('behavior: pre-EIP-155 legacy signatures are read too', async () => {
    const serialized = (await account.signTransaction({
      type: 'legacy',
      to: account.address,
      gas: 21_000n,
      gasPrice: 1n,
      nonce: 0,
    })) as TransactionSerialized
    expect(parseTransaction(serialized).v).toBeLessThan(35n)
    expect(await reading(serialized)).toEqual(await viemReading(serialized))
  })

  test('error: malformed bytes are refused with a RangeError', async () => {
    await expect(readSignedTransaction('0xf9ffff01')).rejects.toThrow(RangeError)
    const valid = await account.signTransaction({
      chainId: 10744,
      type: 'legacy',
      to: account.address,
      gas: 21_000n,
      gasPrice: 1n,
      nonce: 1,
    })
    await expect(readSignedTransaction(`${valid}00`)).rejects.toThrow(RangeError)
  })
})
