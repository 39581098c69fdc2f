import { opgTokenAbi } from '@opengradient/contracts'
import {
  BaseError,
  InvalidInputError,
  permit2Address,
  TimeoutError,
  TransactionFailedError,
} from '@opengradient/core'
import {
  type Account,
  type Address,
  type Chain,
  type Client,
  formatUnits,
  type Hash,
  type Transport,
} from 'viem'
import {
  estimateContractGas,
  getGasPrice,
  readContract,
  waitForTransactionReceipt,
  writeContract,
} from 'viem/actions'
import { toBaseUnits } from './amounts.js'

/** The smallest `minAllowance`: one `upto` session of the gateway may spend 0.1 OPG. */
export const minimumOpgApproval = 100_000_000_000_000_000n

export type EnsureOpgApprovalParameters = {
  /**
   * The allowance Permit2 must have at least, in base units or as a decimal OPG amount. At
   * least 0.1 OPG (one gateway session's cap).
   */
  minAllowance: bigint | string
  /**
   * What to approve when the allowance is below `minAllowance`; capped at the balance.
   * @default twice `minAllowance`
   */
  approveAmount?: bigint | string | undefined
  /**
   * The OPG token.
   * @default the client chain's `contracts.opgToken`
   */
  token?: Address | undefined
  /**
   * The spender to approve.
   * @default Permit2, `0x000000000022D473030F116dDEE9F6B43aC78BA3`
   */
  spender?: Address | undefined
  /**
   * Milliseconds to wait for the receipt, and then again for the allowance to be visible.
   * @default 120_000
   */
  timeout?: number | undefined
  /**
   * Milliseconds between allowance reads after the approval was mined.
   * @default 1_000
   */
  pollingInterval?: number | undefined
}

export type EnsureOpgApprovalReturnType = {
  allowanceBefore: bigint
  allowanceAfter: bigint
  /** The approval transaction, or `undefined` when the allowance was already enough. */
  transactionHash: Hash | undefined
  /** True when the approval was capped at the balance (below `approveAmount`). */
  capped: boolean
}

export type EnsureOpgApprovalErrorType = InvalidInputError | TransactionFailedError | TimeoutError

/**
 * Makes sure Permit2 may spend enough of the account's OPG for x402 `upto` payments: reads the
 * allowance and does nothing when it is at least `minAllowance`; otherwise checks the balance
 * (none, or less than `minAllowance`, is an error that says to fund the wallet), approves
 * `approveAmount` (capped at the balance) with a legacy transaction (gas = estimate × 1.2), waits
 * for the receipt and then until the new allowance is visible.
 *
 * Unlike reference 0.7.2–0.9.2 it compares the allowance with the full minimum (not a tenth of
 * it), and it takes amounts as `bigint` base units or decimal strings, never floats.
 *
 * @example
 * ```ts
 * import { ensureOpgApproval } from '@opengradient/llm'
 * import { createWalletClient, http } from 'viem'
 * import { privateKeyToAccount } from 'viem/accounts'
 * import { base } from '@opengradient/core'
 *
 * const wallet = createWalletClient({ account: privateKeyToAccount(key), chain: base, transport: http() })
 * const { transactionHash } = await ensureOpgApproval(wallet, { minAllowance: '1' })
 * ```
 */
export async function ensureOpgApproval(
  client: Client<Transport, Chain, Account>,
  parameters: EnsureOpgApprovalParameters,
): Promise<EnsureOpgApprovalReturnType> {
  const minAllowance = amountParameter('minAllowance', parameters.minAllowance)
  if (minAllowance < minimumOpgApproval) {
    throw new InvalidInputError(
      `"minAllowance" must be at least 0.1 OPG (${minimumOpgApproval} base units), got ${formatUnits(minAllowance, 18)} OPG.`,
      { metaMessages: ['One gateway payment session may spend up to 0.1 OPG.'] },
    )
  }
  const approveAmount =
    parameters.approveAmount === undefined
      ? minAllowance * 2n
      : amountParameter('approveAmount', parameters.approveAmount)
  if (approveAmount < minAllowance) {
    throw new InvalidInputError(
      `"approveAmount" (${formatUnits(approveAmount, 18)} OPG) must be at least "minAllowance" (${formatUnits(minAllowance, 18)} OPG).`,
    )
  }
  const token = opgTokenOf(client.chain, parameters.token)
  const spender = parameters.spender ?? permit2Address
  const timeout = parameters.timeout ?? 120_000
  const pollingInterval = parameters.pollingInterval ?? 1_000
  const owner = client.account.address

  const readAllowance = () =>
    readContract(client, {
      address: token,
      abi: opgTokenAbi,
      functionName: 'allowance',
      args: [owner, spender],
    })
  const allowanceBefore = await readAllowance()
  if (allowanceBefore >= minAllowance) {
    return {
      allowanceBefore,
      allowanceAfter: allowanceBefore,
      transactionHash: undefined,
      capped: false,
    }
  }

  const balance = await readContract(client, {
    address: token,
    abi: opgTokenAbi,
    functionName: 'balanceOf',
    args: [owner],
  })
  if (balance === 0n) {
    throw new InvalidInputError(
      `Wallet ${owner} has no OPG tokens. Fund the wallet before approving.`,
    )
  }
  if (balance < minAllowance) {
    throw new InvalidInputError(
      `Wallet ${owner} has insufficient OPG balance: has ${formatOpg(balance)} OPG, but the minimum required is ${formatOpg(minAllowance)} OPG. Fund the wallet before approving.`,
    )
  }
  const amount = approveAmount > balance ? balance : approveAmount

  let transactionHash: Hash
  try {
    const call = {
      address: token,
      abi: opgTokenAbi,
      functionName: 'approve',
      args: [spender, amount],
      account: client.account,
    } as const
    const [estimate, gasPrice] = await Promise.all([
      estimateContractGas(client, call),
      getGasPrice(client),
    ])
    transactionHash = await writeContract(client, {
      ...call,
      chain: client.chain,
      type: 'legacy',
      gas: (estimate * 12n) / 10n,
      gasPrice,
    })
  } catch (error) {
    throw new TransactionFailedError('Failed to approve Permit2 for OPG.', {
      cause: error as Error,
      details: error instanceof BaseError ? error.shortMessage : (error as Error)?.message,
    })
  }
  const receipt = await waitForTransactionReceipt(client, {
    hash: transactionHash,
    timeout,
    pollingInterval,
  }).catch((error: unknown) => {
    throw new TimeoutError(
      `The Permit2 approval transaction was not mined within ${timeout / 1000} seconds: ${transactionHash}`,
      { timeoutMs: timeout, cause: error as Error },
    )
  })
  if (receipt.status !== 'success') {
    throw new TransactionFailedError(`Permit2 approval transaction reverted: ${transactionHash}`, {
      transactionHash,
    })
  }

  // Load-balanced RPCs may answer from a node that has not seen the block yet.
  const deadline = Date.now() + timeout
  for (;;) {
    const allowanceAfter = await readAllowance()
    if (allowanceAfter >= amount) {
      return { allowanceBefore, allowanceAfter, transactionHash, capped: amount < approveAmount }
    }
    if (Date.now() >= deadline) {
      throw new TimeoutError(
        `Permit2 approval transaction was mined, but the updated allowance was not visible within ${timeout / 1000} seconds: ${transactionHash}`,
        { timeoutMs: timeout },
      )
    }
    await new Promise((resolve) => setTimeout(resolve, pollingInterval))
  }
}

/** The OPG token of a chain, or the one given. */
export function opgTokenOf(chain: Chain | undefined, token: Address | undefined): Address {
  const address =
    token ??
    (chain?.contracts as { opgToken?: { address?: Address } } | undefined)?.opgToken?.address
  if (!address) {
    throw new InvalidInputError(
      `The chain ${chain ? `"${chain.name}" (${chain.id})` : 'of the client'} has no OPG token; pass "token".`,
    )
  }
  return address
}

function amountParameter(name: string, value: bigint | string): bigint {
  try {
    return toBaseUnits(value)
  } catch (error) {
    throw new InvalidInputError(`"${name}": ${(error as Error).message}`)
  }
}

function formatOpg(amount: bigint): string {
  return Number(formatUnits(amount, 18)).toFixed(6)
}
