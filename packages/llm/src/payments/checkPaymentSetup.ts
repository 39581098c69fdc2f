import { opgTokenAbi } from '@opengradient/contracts'
import { permit2Address } from '@opengradient/core'
import { type Address, type Chain, type Client, formatUnits, type Transport } from 'viem'
import { getBalance, readContract } from 'viem/actions'
import { toBaseUnits } from './amounts.js'
import { minimumOpgApproval, opgTokenOf } from './ensureOpgApproval.js'

export type CheckPaymentSetupParameters = {
  /** The account that will pay. */
  account: Address
  /**
   * The Permit2 allowance needed to be ready, in base units or as a decimal OPG amount.
   * @default 0.1 OPG (one gateway session's cap)
   */
  minAllowance?: bigint | string | undefined
  /**
   * The OPG token.
   * @default the client chain's `contracts.opgToken`
   */
  token?: Address | undefined
  /**
   * The spender payments go through.
   * @default Permit2
   */
  spender?: Address | undefined
}

export type CheckPaymentSetupReturnType = {
  account: Address
  token: Address
  opgBalance: bigint
  /** Native balance, for the approval transaction's gas. */
  ethBalance: bigint
  permit2Allowance: bigint
  /** True when the account can pay a gateway session now. */
  ready: boolean
  /** What is missing, each as a sentence that says what to do. Empty when `ready`. */
  issues: string[]
}

/**
 * Reads, without sending anything, whether an account can pay the LLM gateway: its OPG balance,
 * its native balance (for the one approval transaction) and Permit2's OPG allowance, and lists
 * what is missing before the first call.
 *
 * @example
 * ```ts
 * import { checkPaymentSetup } from '@opengradient/llm'
 * import { base } from '@opengradient/core'
 * import { createPublicClient, http } from 'viem'
 *
 * const client = createPublicClient({ chain: base, transport: http() })
 * const setup = await checkPaymentSetup(client, { account: '0x…' })
 * if (!setup.ready) console.log(setup.issues.join('\n'))
 * ```
 */
export async function checkPaymentSetup(
  client: Client<Transport, Chain | undefined>,
  parameters: CheckPaymentSetupParameters,
): Promise<CheckPaymentSetupReturnType> {
  const { account } = parameters
  const token = opgTokenOf(client.chain, parameters.token)
  const spender = parameters.spender ?? permit2Address
  const minAllowance =
    parameters.minAllowance === undefined
      ? minimumOpgApproval
      : toBaseUnits(parameters.minAllowance)
  const [opgBalance, ethBalance, permit2Allowance] = await Promise.all([
    readContract(client, {
      address: token,
      abi: opgTokenAbi,
      functionName: 'balanceOf',
      args: [account],
    }),
    getBalance(client, { address: account }),
    readContract(client, {
      address: token,
      abi: opgTokenAbi,
      functionName: 'allowance',
      args: [account, spender],
    }),
  ])
  const opg = (amount: bigint) => `${formatUnits(amount, 18)} OPG`
  const issues: string[] = []
  if (opgBalance === 0n) issues.push(`The account ${account} has no OPG: fund it with OPG.`)
  else if (opgBalance < minAllowance) {
    issues.push(
      `The account holds ${opg(opgBalance)}, less than the ${opg(minAllowance)} one payment session may spend: fund it.`,
    )
  }
  if (permit2Allowance < minAllowance) {
    issues.push(
      `Permit2 may spend ${opg(permit2Allowance)} of the account's OPG, less than ${opg(minAllowance)}: run ensureOpgApproval (og llm approve).`,
    )
    if (ethBalance === 0n) {
      issues.push(
        `The account has no native balance to pay the approval transaction's gas: fund it.`,
      )
    }
  }
  return {
    account,
    token,
    opgBalance,
    ethBalance,
    permit2Allowance,
    ready: issues.length === 0,
    issues,
  }
}
