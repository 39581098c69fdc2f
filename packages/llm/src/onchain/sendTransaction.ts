// The send path of on-chain LLM calls: estimate with revert surfacing, a reserved nonce, one
// broadcast, a receipt, and the revert reason of a failed transaction.
import {
  BaseError,
  ContractCallFailedError,
  type Hash,
  type Hex,
  InvalidInputError,
  TimeoutError,
  TransactionFailedError,
} from '@opengradient/core'
import {
  type Address,
  ContractFunctionRevertedError,
  decodeErrorResult,
  keccak256,
  type TransactionReceipt,
  BaseError as ViemBaseError,
  WaitForTransactionReceiptTimeoutError,
} from 'viem'
import type { OnChainLlmClient } from './createOnChainLlmClient.js'

/**
 * Gas added to the multiplied estimate: estimates run in simulation, where the LLM answer is
 * empty, while the real execution also decodes the answer and emits it in two events.
 */
export const llmGasHeadroom = 500_000n

export type SendTransactionParameters = {
  to: Address
  data: Hex
  /** For error messages. */
  functionName: string
  /** Gas limit; skips the estimate. */
  gas?: bigint | undefined
  /** Total attempts while the node rejects the send for its nonce. @default 5 */
  maxRetries?: number | undefined
  signal?: AbortSignal | undefined
}

/**
 * Sends a transaction and waits for its receipt. A send is repeated only when the node rejected
 * it for its nonce; once the node may hold the transaction it is never sent again. Reverts come
 * back as `ContractCallFailedError` (estimate) or `TransactionFailedError` (mined), with the
 * reason.
 *
 * @example
 * ```ts
 * const { transactionHash, receipt } = await sendTransaction(client, { to: hub, data, functionName: 'runLLMChat' })
 * ```
 */
export async function sendTransaction(
  client: OnChainLlmClient,
  parameters: SendTransactionParameters,
): Promise<{ transactionHash: Hash; receipt: TransactionReceipt }> {
  const { to, data, functionName, signal } = parameters
  const maxRetries = parameters.maxRetries ?? 5
  if (!Number.isInteger(maxRetries) || maxRetries < 1) {
    throw new InvalidInputError(`"maxRetries" must be an integer of at least 1, got ${maxRetries}.`)
  }
  const { publicClient, account, chain } = client
  const from = typeof account === 'string' ? account : account.address

  signal?.throwIfAborted()
  let gas: bigint
  if (parameters.gas !== undefined) gas = parameters.gas
  else {
    let estimate: bigint
    try {
      estimate = await publicClient.estimateGas({ account: from, to, data })
    } catch (error) {
      throw callError(error, { to, functionName })
    }
    gas = (estimate * BigInt(Math.round(client.gasMultiplier * 1000))) / 1000n + llmGasHeadroom
  }
  const fees: { gasPrice: bigint } | { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } =
    client.transactionType === 'eip1559'
      ? await publicClient.estimateFeesPerGas({ type: 'eip1559' })
      : { gasPrice: await publicClient.getGasPrice() }

  let transactionHash: Hash | undefined
  for (let attempt = 1; transactionHash === undefined; attempt++) {
    signal?.throwIfAborted()
    const nonce = await client.nonceManager.consume({
      address: from,
      chainId: chain.id,
      fetchPendingCount: () =>
        publicClient.getTransactionCount({ address: from, blockTag: 'pending' }),
    })
    let signedHash: Hash | undefined
    try {
      if (typeof account === 'string') {
        const hex = (value: bigint | number) => `0x${value.toString(16)}`
        transactionHash = await publicClient.request({
          method: 'eth_sendTransaction' as never,
          params: [
            {
              from,
              to,
              data,
              gas: hex(gas),
              nonce: hex(nonce),
              ...('gasPrice' in fees
                ? { gasPrice: hex(fees.gasPrice) }
                : {
                    maxFeePerGas: hex(fees.maxFeePerGas),
                    maxPriorityFeePerGas: hex(fees.maxPriorityFeePerGas),
                  }),
            },
          ] as never,
        })
      } else {
        if (!account.signTransaction) {
          throw new InvalidInputError('The account cannot sign transactions locally.', {
            metaMessages: ['Pass a local account (privateKeyToAccount) or a JSON-RPC address.'],
          })
        }
        const serializedTransaction = await account.signTransaction({
          chainId: chain.id,
          to,
          data,
          gas,
          nonce,
          ...('gasPrice' in fees
            ? { type: 'legacy' as const, gasPrice: fees.gasPrice }
            : {
                type: 'eip1559' as const,
                maxFeePerGas: fees.maxFeePerGas,
                maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
              }),
        })
        signedHash = keccak256(serializedTransaction)
        transactionHash = await publicClient.sendRawTransaction({ serializedTransaction })
      }
    } catch (error) {
      client.nonceManager.reset({ address: from, chainId: chain.id })
      if (signedHash && (await isKnown(client, signedHash))) {
        // The node took it before the answer was lost: wait for it, never send again.
        transactionHash = signedHash
        break
      }
      if (error instanceof InvalidInputError) throw error
      if (isNonceError(error)) {
        if (attempt < maxRetries) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * attempt)))
          continue
        }
        throw new TransactionFailedError(`The transaction failed after ${attempt} attempts.`, {
          cause: error,
          metaMessages: [`Function: ${functionName}`],
        })
      }
      throw callError(error, { to, functionName })
    }
  }

  let receipt: TransactionReceipt
  try {
    receipt = await publicClient.waitForTransactionReceipt({
      hash: transactionHash,
      timeout: client.receiptTimeoutMs,
      pollingInterval: client.pollingInterval,
    })
  } catch (error) {
    if (error instanceof WaitForTransactionReceiptTimeoutError) {
      throw new TimeoutError('The transaction was sent but no receipt arrived in time.', {
        timeoutMs: client.receiptTimeoutMs,
        transactionHash,
        cause: error,
        metaMessages: ['It may still be mined: wait for it by hash instead of sending again.'],
      })
    }
    throw new BaseError('Waiting for the transaction receipt failed.', {
      cause: error,
      metaMessages: [`Transaction: ${transactionHash}`],
    })
  }
  if (receipt.status === 'reverted') {
    let revertReason: string | undefined
    try {
      await publicClient.call({ account: from, to, data, gas, blockNumber: receipt.blockNumber })
    } catch (error) {
      revertReason = revertReasonOf(error)
    }
    throw new TransactionFailedError(
      revertReason
        ? `The transaction reverted with reason: "${revertReason}".`
        : 'The transaction reverted without a reason.',
      { transactionHash, revertReason, metaMessages: [`Function: ${functionName}`] },
    )
  }
  return { transactionHash, receipt }
}

async function isKnown(client: OnChainLlmClient, hash: Hash): Promise<boolean> {
  try {
    await client.publicClient.getTransaction({ hash })
    return true
  } catch {
    return false
  }
}

function isNonceError(error: unknown): boolean {
  const text =
    `${(error as Error)?.message ?? ''} ${(error as { details?: string })?.details ?? ''}`.toLowerCase()
  return ['nonce too low', 'nonce too high', 'invalid nonce'].some((needle) =>
    text.includes(needle),
  )
}

/**
 * The reason string of a revert, from a viem error or the raw `Error(string)` data it carries.
 *
 * @example
 * ```ts
 * revertReasonOf(error) // 'Model not supported: Unknown model "x".'
 * ```
 */
export function revertReasonOf(error: unknown): string | undefined {
  if (!(error instanceof ViemBaseError)) return undefined
  const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError)
  if (reverted instanceof ContractFunctionRevertedError && reverted.reason) return reverted.reason
  const withData = error.walk((cause) => {
    const data = (cause as { data?: unknown }).data
    return typeof data === 'string' && data.startsWith('0x08c379a0')
  }) as { data?: Hex } | null
  if (withData?.data) {
    try {
      const decoded = decodeErrorResult({
        abi: [{ type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] }],
        data: withData.data,
      })
      return String(decoded.args[0])
    } catch {}
  }
  const match = /execution reverted(?::\s*(?:revert:\s*)?(.+?))?(?:\n|$)/i.exec(
    error.details ?? error.message,
  )
  return match?.[1]?.trim() || undefined
}

function callError(error: unknown, context: { to: Address; functionName: string }): BaseError {
  if (error instanceof BaseError) return error
  const reason = revertReasonOf(error)
  const text = `${(error as Error)?.message ?? ''} ${(error as { details?: string })?.details ?? ''}`
  if (reason !== undefined || /revert/i.test(text)) {
    return new ContractCallFailedError({
      revertReason: reason,
      contractAddress: context.to,
      functionName: context.functionName,
      cause: error,
    })
  }
  return new BaseError(`The call to "${context.functionName}" failed.`, {
    cause: error,
    metaMessages: [`Contract: ${context.to}`],
  })
}
