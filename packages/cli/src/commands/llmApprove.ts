import { ensureOpgApproval } from '@opengradient/llm'
import { createWalletClient, formatUnits, http, publicActions } from 'viem'
import type { CommandContext } from '../context.js'
import { CliUsageError } from '../errors.js'
import { type PaymentChainOptions, paymentChainOf } from './llmPayments.js'

/** Options of `og llm approve`. */
export type LlmApproveOptions = PaymentChainOptions & {
  /** Minimum Permit2 allowance, in OPG (decimal). */
  min: string
  /** What to approve when below the minimum, in OPG (default twice the minimum). */
  amount?: string | undefined
}

/**
 * `og llm approve --min 0.5`: makes sure Permit2 may spend at least that much of your OPG for
 * LLM payments, approving (capped at the balance) only when it may not.
 *
 * @example
 * ```sh
 * og llm approve --network devnet --min 0.5
 * ```
 */
export async function llmApproveCommand(
  context: CommandContext,
  options: LlmApproveOptions,
): Promise<void> {
  for (const [flag, value] of [
    ['--min', options.min],
    ['--amount', options.amount],
  ] as const) {
    if (value !== undefined && !/^\d+(\.\d{1,18})?$/.test(value)) {
      throw new CliUsageError(`${flag} must be a decimal OPG amount like 0.5, got "${value}".`)
    }
  }
  const account = await context.getAccount()
  const chain = paymentChainOf(context, options)
  const wallet = createWalletClient({ account, chain, transport: http() }).extend(publicActions)
  const result = await ensureOpgApproval(wallet, {
    minAllowance: options.min,
    ...(options.amount !== undefined ? { approveAmount: options.amount } : {}),
  })
  if (context.json) {
    context.printJson({
      account: account.address,
      chainId: chain.id,
      allowanceBefore: result.allowanceBefore.toString(),
      allowanceAfter: result.allowanceAfter.toString(),
      transactionHash: result.transactionHash ?? null,
      capped: result.capped,
    })
    return
  }
  const opg = (value: bigint) => `${formatUnits(value, 18)} OPG`
  if (result.transactionHash === undefined) {
    context.print(
      `✅ Permit2 may already spend ${opg(result.allowanceBefore)} of ${account.address}'s OPG; nothing to do`,
    )
    return
  }
  context.print(
    `✅ Permit2 may now spend ${opg(result.allowanceAfter)} of ${account.address}'s OPG (was ${opg(result.allowanceBefore)})`,
  )
  if (result.capped) context.print('The approval was capped at the balance.')
  context.print(`Transaction hash: ${result.transactionHash}`)
}
