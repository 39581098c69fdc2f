// The gateway's x402 v2 side: 402 answers, payment verification and settlement through the
// official @x402 facilitator code against the devnet chain, and `upto` sessions as the
// OpenGradient gateway runs them (a spending cap per session, costs added per request,
// settlement when a session is idle, exhausted, or settled on demand).
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { x402Facilitator } from '@x402/core/facilitator'
import {
  decodePaymentSignatureHeader,
  encodePaymentRequiredHeader,
  encodePaymentResponseHeader,
} from '@x402/core/http'
import type {
  PaymentPayload,
  PaymentRequired,
  PaymentRequirements,
  SettleResponse,
} from '@x402/core/types'
import { toFacilitatorEvmSigner } from '@x402/evm'
import { ExactEvmScheme } from '@x402/evm/exact/facilitator'
import { UptoEvmScheme } from '@x402/evm/upto/facilitator'
import { type Address, type Chain, createWalletClient, http, publicActions } from 'viem'
import type { LocalAccount } from 'viem/accounts'

/** Payment settings of the devnet's TEE gateway. Amounts are OPG base units (18 decimals). */
export type LlmPaymentsConfig = {
  /**
   * Schemes offered in the 402 answer, in this order.
   * @default ['upto'] (what the OpenGradient gateway offers)
   */
  schemes?: readonly ('upto' | 'exact')[] | undefined
  /**
   * The spending cap of an `upto` session (its `amount`).
   * @default 100000000000000000n (0.1 OPG)
   */
  sessionCap?: bigint | undefined
  /**
   * The price of one call paid with `exact`.
   * @default 1000000000000000n (0.001 OPG)
   */
  exactPrice?: bigint | undefined
  /**
   * The cost of one token (prompt or completion) charged to an `upto` session.
   * @default 1000000000000n (0.000001 OPG)
   */
  pricePerToken?: bigint | undefined
  /**
   * The cost a session must still cover before a request is served.
   * @default 100000000000000n (0.0001 OPG)
   */
  precheckCost?: bigint | undefined
  /**
   * Milliseconds without requests after which a session is settled.
   * @default 100_000
   */
  sessionIdleTimeout?: number | undefined
}

/** One `upto` session, as the devnet's admin methods report it. */
export type UptoSessionRecord = {
  id: string
  payer: Address
  payTo: Address
  /** The cap the payer signed. */
  cap: string
  /** What the session's requests cost so far. */
  spent: string
  requests: number
  state: 'open' | 'settling' | 'settled' | 'failed'
  /** The settlement transaction, once settled. */
  transaction?: string | undefined
  error?: string | undefined
  createdAt: number
  lastUsedAt: number
}

/** A request the gate let through: what to add to the answer and how to charge for it. */
export type PaidRequest = {
  /**
   * Call right before the answer's headers are written. `exact` payments are settled here (so a
   * failed generation costs nothing); returns the payment headers to send.
   */
  settle(): Promise<Record<string, string>>
  /** Charges the call's tokens to its `upto` session (no-op for `exact`). */
  charge(usage: { promptTokens: number; completionTokens: number } | undefined): void
}

/** The x402 side of the gateway. */
export type PaymentGate = {
  /**
   * Lets a request through (returning how to charge it) or answers it with 402 and returns
   * `undefined`.
   */
  authorize(parameters: {
    request: IncomingMessage
    resourceUrl: string
    endpoint: 'chat' | 'completion'
  }): Promise<
    { paid: PaidRequest } | { status: 402; headers: Record<string, string>; body: unknown }
  >
  /** Every `upto` session, open or settled. */
  sessions(): UptoSessionRecord[]
  /** Settles every open session now (or the ones named), waiting for the transactions. */
  settleSessions(ids?: readonly string[] | undefined): Promise<UptoSessionRecord[]>
  /** Stops the idle-session timer. */
  stop(): void
}

export type CreatePaymentGateParameters = {
  config?: LlmPaymentsConfig | undefined
  chain: Chain
  rpcUrl: string
  /** The OPG token. */
  asset: Address
  /** Where payments go (the TEE's payment address). */
  payTo: Address
  /** The facilitator's account: it submits settlements and pays their gas. */
  facilitator: LocalAccount
}

type Session = UptoSessionRecord & {
  payload: PaymentPayload
  requirements: PaymentRequirements
  spentUnits: bigint
  capUnits: bigint
}

/**
 * Creates the gateway's payment gate with an in-process facilitator from `@x402/core` and
 * `@x402/evm`, settling on the devnet chain.
 *
 * @example
 * ```ts
 * const gate = createPaymentGate({ chain, rpcUrl, asset: opg, payTo, facilitator })
 * const outcome = await gate.authorize({ request, resourceUrl, endpoint: 'chat' })
 * ```
 */
export function createPaymentGate(parameters: CreatePaymentGateParameters): PaymentGate {
  const config = parameters.config ?? {}
  const schemes = config.schemes ?? ['upto']
  const sessionCap = BigInt(config.sessionCap ?? 100_000_000_000_000_000n)
  const exactPrice = BigInt(config.exactPrice ?? 1_000_000_000_000_000n)
  const pricePerToken = BigInt(config.pricePerToken ?? 1_000_000_000_000n)
  const precheckCost = BigInt(config.precheckCost ?? 100_000_000_000_000n)
  const idleTimeout = config.sessionIdleTimeout ?? 100_000
  const network = `eip155:${parameters.chain.id}` as const
  const { facilitator: account } = parameters

  const wallet = createWalletClient({
    account,
    chain: parameters.chain,
    transport: http(parameters.rpcUrl),
  }).extend(publicActions)
  const signer = toFacilitatorEvmSigner({
    address: account.address,
    readContract: (args) => wallet.readContract(args as never),
    verifyTypedData: (args) => wallet.verifyTypedData(args as never),
    writeContract: (args) =>
      wallet.writeContract({ ...args, account, chain: wallet.chain } as never),
    sendTransaction: (args) => wallet.sendTransaction({ ...args, account, chain: wallet.chain }),
    waitForTransactionReceipt: (args) =>
      wallet.waitForTransactionReceipt({ ...args, pollingInterval: 20 }),
    getCode: (args) => wallet.getCode(args),
  })
  const facilitator = new x402Facilitator()
    .register(network, new UptoEvmScheme(signer))
    .register(network, new ExactEvmScheme(signer))

  const sessions = new Map<string, Session>()
  const reaper = setInterval(
    () => {
      const now = Date.now()
      const idle = [...sessions.values()].filter(
        (session) => session.state === 'open' && now - session.lastUsedAt >= idleTimeout,
      )
      if (idle.length > 0) void settleSessions(idle.map((session) => session.id)).catch(() => {})
    },
    Math.min(idleTimeout, 5_000),
  )
  reaper.unref()

  function offers(resourceUrl: string, endpoint: 'chat' | 'completion'): PaymentRequired {
    const accepts: PaymentRequirements[] = schemes.map((scheme) =>
      scheme === 'upto'
        ? {
            scheme,
            network,
            asset: parameters.asset,
            amount: sessionCap.toString(),
            payTo: parameters.payTo,
            maxTimeoutSeconds: 3600,
            extra: {
              name: 'OpenGradient',
              version: '1',
              assetTransferMethod: 'permit2',
              facilitatorAddress: account.address,
            },
          }
        : {
            scheme,
            network,
            asset: parameters.asset,
            amount: exactPrice.toString(),
            payTo: parameters.payTo,
            maxTimeoutSeconds: 3600,
            extra: { name: 'OpenGradient', version: '1' },
          },
    )
    return {
      x402Version: 2,
      resource: {
        url: resourceUrl,
        description: endpoint === 'chat' ? 'Chat completion' : 'Completion',
        mimeType: 'application/json',
      },
      accepts,
    }
  }

  function paymentRequired(
    resourceUrl: string,
    endpoint: 'chat' | 'completion',
    error: string,
  ): { status: 402; headers: Record<string, string>; body: unknown } {
    const required = { ...offers(resourceUrl, endpoint), error }
    return {
      status: 402,
      headers: { 'payment-required': encodePaymentRequiredHeader(required) },
      body: { error, x402Version: 2 },
    }
  }

  async function settle(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
  ): Promise<SettleResponse> {
    const settled = await facilitator.settle(payload, requirements)
    if (!settled.success) {
      throw new Error(
        `Settlement failed: ${settled.errorReason ?? 'unknown reason'}${settled.errorMessage ? ` (${settled.errorMessage})` : ''}`,
      )
    }
    return settled
  }

  async function settleSessions(ids?: readonly string[]): Promise<UptoSessionRecord[]> {
    const chosen = [...sessions.values()].filter(
      (session) => session.state === 'open' && (!ids || ids.includes(session.id)),
    )
    // One at a time: the facilitator's transactions come from one account.
    for (const session of chosen) {
      session.state = 'settling'
      try {
        if (session.spentUnits === 0n) {
          session.state = 'settled'
          continue
        }
        const settled = await settle(session.payload, {
          ...session.requirements,
          amount: session.spentUnits.toString(),
        })
        session.transaction = settled.transaction
        session.state = 'settled'
      } catch (error) {
        session.state = 'failed'
        session.error = error instanceof Error ? error.message : String(error)
      }
    }
    return chosen.map(publicRecord)
  }

  return {
    async authorize({ request, resourceUrl, endpoint }) {
      const sessionHeader =
        request.headers['x-upto-session'] ?? request.headers['x-upto-session-id']
      const sessionId = Array.isArray(sessionHeader) ? sessionHeader[0] : sessionHeader
      if (sessionId) {
        const session = sessions.get(sessionId)
        if (session?.state !== 'open') {
          return paymentRequired(resourceUrl, endpoint, 'Upto session expired or settled')
        }
        if (session.spentUnits + precheckCost > session.capUnits) {
          void settleSessions([session.id]).catch(() => {})
          return paymentRequired(resourceUrl, endpoint, 'Upto session exhausted')
        }
        session.lastUsedAt = Date.now()
        return { paid: uptoRequest(session) }
      }

      const signatureHeader = request.headers['payment-signature']
      if (typeof signatureHeader !== 'string' || signatureHeader === '') {
        return paymentRequired(resourceUrl, endpoint, 'Payment required')
      }
      let payload: PaymentPayload
      try {
        payload = decodePaymentSignatureHeader(signatureHeader)
      } catch {
        return paymentRequired(resourceUrl, endpoint, 'Invalid PAYMENT-SIGNATURE header')
      }
      const requirements = offers(resourceUrl, endpoint).accepts.find(
        (offer) =>
          offer.scheme === payload.accepted?.scheme && offer.network === payload.accepted?.network,
      )
      if (!requirements) {
        return paymentRequired(resourceUrl, endpoint, 'The payment matches no offer')
      }
      const verified = await facilitator.verify(payload, requirements).catch((error: unknown) => ({
        isValid: false,
        invalidReason: error instanceof Error ? error.message : String(error),
      }))
      if (!verified.isValid) {
        return paymentRequired(
          resourceUrl,
          endpoint,
          `Payment verification failed: ${verified.invalidReason ?? 'invalid payment'}`,
        )
      }
      if (requirements.scheme === 'exact') return { paid: exactRequest(payload, requirements) }

      const now = Date.now()
      const session: Session = {
        id: randomUUID(),
        payer: (verified as { payer?: Address }).payer ?? ('0x' as Address),
        payTo: parameters.payTo,
        cap: requirements.amount,
        spent: '0',
        requests: 0,
        state: 'open',
        createdAt: now,
        lastUsedAt: now,
        payload,
        requirements,
        spentUnits: 0n,
        capUnits: BigInt(requirements.amount),
      }
      sessions.set(session.id, session)
      return { paid: uptoRequest(session) }
    },
    sessions: () => [...sessions.values()].map(publicRecord),
    settleSessions,
    stop: () => clearInterval(reaper),
  }

  function uptoRequest(session: Session): PaidRequest {
    return {
      settle: async () => ({ 'x-upto-session': session.id }),
      charge(usage) {
        const tokens = BigInt((usage?.promptTokens ?? 0) + (usage?.completionTokens ?? 0))
        const cost = tokens * pricePerToken
        // The cap is what the payer signed; a request never pushes a session past it.
        session.spentUnits += cost
        if (session.spentUnits > session.capUnits) session.spentUnits = session.capUnits
        session.spent = session.spentUnits.toString()
        session.requests++
        session.lastUsedAt = Date.now()
      },
    }
  }

  function exactRequest(payload: PaymentPayload, requirements: PaymentRequirements): PaidRequest {
    return {
      async settle() {
        const settled = await settle(payload, requirements)
        return {
          'payment-response': encodePaymentResponseHeader(settled),
          'x-settlement-tx-hash': settled.transaction,
        }
      },
      charge() {},
    }
  }
}

function publicRecord(session: Session): UptoSessionRecord {
  const {
    payload: _payload,
    requirements: _requirements,
    spentUnits,
    capUnits,
    ...record
  } = session
  return { ...record, cap: capUnits.toString(), spent: spentUnits.toString() }
}
