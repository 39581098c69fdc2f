// What `og llm approve`, `og llm setup-check` and the paying LLM commands share: the chain
// payments settle on, and how a payment is printed.
import { base, type PaymentDetails } from '@opengradient/core'
import { type Chain, formatUnits } from 'viem'
import type { CommandContext } from '../context.js'

/** Options of the payment commands. */
export type PaymentChainOptions = {
  /** RPC of the chain payments settle on (Base unless on the devnet). */
  paymentRpcUrl?: string | undefined
}

/**
 * The chain x402 payments settle on: the devnet itself on `--network devnet` (it holds OPG and
 * Permit2), else Base; `--payment-rpc-url` or `OG_PAYMENT_RPC_URL` overrides its RPC.
 *
 * @example
 * ```ts
 * const chain = paymentChainOf(context, options) // base, or the devnet
 * ```
 */
export function paymentChainOf(context: CommandContext, options: PaymentChainOptions): Chain {
  const chain: Chain = context.settings.network.value === 'devnet' ? context.getChain() : base
  const rpcUrl = options.paymentRpcUrl || context.io.env.OG_PAYMENT_RPC_URL
  if (!rpcUrl) return chain
  return { ...chain, rpcUrls: { ...chain.rpcUrls, default: { http: [rpcUrl] } } }
}

/**
 * The lines printed after a paid call.
 *
 * @example
 * ```ts
 * for (const line of paymentLines(output.settlement.payment)) context.print(line)
 * ```
 */
export function paymentLines(payment: PaymentDetails | undefined): string[] {
  if (!payment) return ['Payment: none asked']
  const amount = `${formatUnits(BigInt(payment.amount), 18)} OPG`
  return [
    payment.reusedSession
      ? `Payment: charged to upto session ${payment.session} (cap ${amount}, no new signature)`
      : `Payment: ${payment.scheme} on ${payment.network}, up to ${amount} to ${payment.payTo}${payment.session ? ` (session ${payment.session})` : ''}`,
  ]
}
