import { type Address, encodeFunctionData, type LocalAccount } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { opgTokenAbi, opgTokenBytecode } from '../generated/OPGToken.js'
import { type Anvil, startAnvil } from '../test/anvil.js'
import { createNonceManager } from './nonceManager.js'
import { type TransactionClient, writeTransaction } from './writeTransaction.js'

const key = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a'

let anvil: Anvil
let token: Address

beforeAll(async () => {
  anvil = await startAnvil()
  // A steady gas price (no base fee), as on the devnet: fees quoted for one send hold for the next.
  await anvil.testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: 0n })
  await anvil.testClient.mine({ blocks: 1 })
  const [alice] = anvil.accounts
  const hash = await anvil.walletClient(alice).deployContract({
    abi: opgTokenAbi,
    bytecode: opgTokenBytecode,
    args: [alice.address],
  })
  token = (await anvil.publicClient.waitForTransactionReceipt({ hash })).contractAddress!
})

afterAll(async () => {
  await anvil?.stop()
})

/** A client whose account counts its signatures. */
function countingClient(): { client: TransactionClient; signatures: () => number } {
  const inner = privateKeyToAccount(key)
  let count = 0
  const account: LocalAccount = {
    ...inner,
    async sign(parameters) {
      count++
      return await inner.sign!(parameters)
    },
  }
  return {
    client: {
      account,
      chain: anvil.chain,
      publicClient: anvil.publicClient,
      nonceManager: createNonceManager(),
      gasMultiplier: 1.5,
      receiptTimeoutMs: 10_000,
      transactionType: 'legacy',
      pollingInterval: 10,
    },
    signatures: () => count,
  }
}

describe('writeTransaction', () => {
  test('behavior: a lone repeated call is signed while its estimate is asked, and used only when the estimate agrees', async () => {
    const { client, signatures } = countingClient()
    // approve(x) costs more the first time (the allowance goes from zero) than later (unchanged).
    const data = encodeFunctionData({
      abi: opgTokenAbi,
      functionName: 'approve',
      args: [anvil.accounts[1].address, 5n],
    })
    const send = () => writeTransaction(client, { to: token, data, functionName: 'approve' })

    const first = await send()
    expect(signatures()).toBe(1)
    // Second: signed ahead with the first call's gas, which the new estimate does not match.
    const second = await send()
    expect(signatures()).toBe(3)
    // Third: the same estimate as the second, so the signature made ahead is the one sent.
    const third = await send()
    expect(signatures()).toBe(4)

    const sent = await Promise.all(
      [first, second, third].map(({ transactionHash: hash }) =>
        anvil.publicClient.getTransaction({ hash }),
      ),
    )
    expect(sent.map((transaction) => transaction.nonce)).toEqual([
      sent[0]!.nonce,
      sent[0]!.nonce + 1,
      sent[0]!.nonce + 2,
    ])
    expect(sent[1]!.gas).toBeLessThan(sent[0]!.gas)
    expect(sent[2]!.gas).toBe(sent[1]!.gas)
    for (const { receipt } of [first, second, third]) expect(receipt.status).toBe('success')
  })

  test('behavior: concurrent sends sign once each, with consecutive nonces', async () => {
    const { client, signatures } = countingClient()
    const data = encodeFunctionData({
      abi: opgTokenAbi,
      functionName: 'approve',
      args: [anvil.accounts[2].address, 9n],
    })
    await writeTransaction(client, { to: token, data, functionName: 'approve' })
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        writeTransaction(client, { to: token, data, functionName: 'approve' }),
      ),
    )
    // The first of the five was alone when it started and may have signed ahead once more.
    expect(signatures()).toBeGreaterThanOrEqual(6)
    expect(signatures()).toBeLessThanOrEqual(7)
    const nonces = await Promise.all(
      results.map(
        async ({ transactionHash: hash }) =>
          (await anvil.publicClient.getTransaction({ hash })).nonce,
      ),
    )
    expect(new Set(nonces).size).toBe(5)
  })

  test('error: when the estimate of a call signed ahead reverts, nothing is sent and the nonce stays free', async () => {
    const { client, signatures } = countingClient()
    const address = privateKeyToAccount(key).address
    const [alice] = anvil.accounts
    const mint = await anvil.walletClient(alice).writeContract({
      address: token,
      abi: opgTokenAbi,
      functionName: 'mint',
      args: [address, 7n],
    })
    await anvil.publicClient.waitForTransactionReceipt({ hash: mint })
    // The whole balance: the first transfer succeeds, the same call again cannot.
    const transfer = encodeFunctionData({
      abi: opgTokenAbi,
      functionName: 'transfer',
      args: [anvil.accounts[1].address, 7n],
    })
    await writeTransaction(client, { to: token, data: transfer, functionName: 'transfer' })
    const before = await anvil.publicClient.getTransactionCount({ address })
    await expect(
      writeTransaction(client, { to: token, data: transfer, functionName: 'transfer' }),
    ).rejects.toThrow()
    // It was signed ahead (a second signature), never sent.
    expect(signatures()).toBe(2)
    expect(await anvil.publicClient.getTransactionCount({ address })).toBe(before)
    const approve = encodeFunctionData({
      abi: opgTokenAbi,
      functionName: 'approve',
      args: [anvil.accounts[1].address, 1n],
    })
    const after = await writeTransaction(client, {
      to: token,
      data: approve,
      functionName: 'approve',
    })
    expect((await anvil.publicClient.getTransaction({ hash: after.transactionHash })).nonce).toBe(
      before,
    )
  })
})
