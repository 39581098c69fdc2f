import { BaseError } from '@opengradient/core'
import { checkPaymentSetup } from '@opengradient/llm'
import { createPublicClient, formatUnits, http } from 'viem'
import type { CommandContext } from '../context.js'
import { type PaymentChainOptions, paymentChainOf } from './llmPayments.js'

/**
 * `og llm setup-check`: reads (sends nothing) whether your account can pay for LLM calls: OPG
 * balance, gas balance and Permit2 allowance, and says what is missing. Exits with 1 when not
 * ready.
 *
 * @example
 * ```sh
 * og llm setup-check --network devnet
 * ```
 */
export async function llmSetupCheckCommand(
  context: CommandContext,
  options: PaymentChainOptions,
): Promise<void> {
  const account = await context.getAccount()
  const chain = paymentChainOf(context, options)
  const client = createPublicClient({ chain, transport: http() })
  const setup = await checkPaymentSetup(client, { account: account.address })
  if (context.json) {
    context.printJson({
      account: setup.account,
      chainId: chain.id,
      token: setup.token,
      opgBalance: setup.opgBalance.toString(),
      ethBalance: setup.ethBalance.toString(),
      permit2Allowance: setup.permit2Allowance.toString(),
      ready: setup.ready,
      issues: setup.issues,
    })
  } else {
    context.print(`Account:           ${setup.account} on ${chain.name} (${chain.id})`)
    context.print(`OPG balance:       ${formatUnits(setup.opgBalance, 18)} OPG`)
    context.print(
      `Gas balance:       ${formatUnits(setup.ethBalance, 18)} ${chain.nativeCurrency.symbol}`,
    )
    context.print(`Permit2 allowance: ${formatUnits(setup.permit2Allowance, 18)} OPG`)
    if (setup.ready) context.print('✅ Ready to pay for LLM calls')
    else for (const issue of setup.issues) context.print(`❌ ${issue}`)
  }
  if (!setup.ready) {
    throw new BaseError('The account is not ready to pay for LLM calls.', {
      metaMessages: ['Fund it with OPG, then run: og llm approve --min 0.1'],
    })
  }
}
