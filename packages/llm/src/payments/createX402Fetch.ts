// A `fetch` that pays the LLM gateway with x402 v2: it answers a 402 by signing one payment with
// the official @x402 schemes and re-sending the request once, and reuses `upto` sessions.
import { type PaymentDetails, PaymentError } from '@opengradient/core'
import { x402Client } from '@x402/core/client'
import { decodePaymentRequiredHeader, encodePaymentSignatureHeader } from '@x402/core/http'
import type { PaymentPayload, PaymentRequired, PaymentRequirements } from '@x402/core/types'
import { ExactEvmScheme } from '@x402/evm/exact/client'
import { UptoEvmScheme } from '@x402/evm/upto/client'
import type { Address, Hex } from 'viem'
import { toBaseUnits } from './amounts.js'
import { recordPayment } from './paymentDetails.js'
import { createUptoSessionStore, type UptoSessionStore, uptoSessionKey } from './uptoSessions.js'

/** A CAIP-2 EVM network id, e.g. `eip155:8453`. */
export type EvmNetwork = `eip155:${number}`

/** What signs payments: a viem local account, or anything with an address and EIP-712 signing. */
export type PaymentSigner = {
  address: Address
  signTypedData(parameters: {
    domain: Record<string, unknown>
    types: Record<string, unknown>
    primaryType: string
    message: Record<string, unknown>
  }): Promise<Hex>
}

/** The payment schemes the client can sign. */
export type PaymentScheme = 'upto' | 'exact'

export type CreateX402FetchParameters = {
  /** The paying account (a viem `LocalAccount`, e.g. from `privateKeyToAccount`). */
  account: PaymentSigner
  /**
   * The only network payments are signed for; offers on other networks are refused.
   * @default 'eip155:8453' (Base, where the OpenGradient gateway takes OPG)
   */
  network?: EvmNetwork | undefined
  /**
   * The most one payment may authorise, in base units (`bigint`) or as a decimal amount of
   * the 18-decimal OPG token (`'0.1'`). An offer above it is refused before anything is signed.
   * @default 100000000000000000n (0.1 OPG, the gateway's per-session cap)
   */
  maxPayment?: bigint | string | undefined
  /**
   * Schemes the client may sign, in order of preference.
   * @default ['upto', 'exact']
   */
  schemes?: readonly PaymentScheme[] | undefined
  /**
   * Where `upto` session ids are kept between requests.
   * @default an in-memory store owned by this fetch
   */
  sessions?: UptoSessionStore | undefined
  /**
   * The transport underneath.
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch | undefined
}

/** The fetch returned by {@link createX402Fetch}. */
export type X402Fetch = typeof globalThis.fetch & {
  /** The network payments are signed for. */
  network: EvmNetwork
  /** The limit per payment, in base units. */
  maxPayment: bigint
  sessions: UptoSessionStore
}

const defaultMaxPayment = 100_000_000_000_000_000n

/**
 * Creates a `fetch` that pays x402 v2 (`PAYMENT-REQUIRED` → `PAYMENT-SIGNATURE`) with the
 * official `@x402/evm` schemes: `upto` over Permit2 and `exact` over EIP-3009.
 *
 * What it guarantees:
 * - **At most one payment per request.** A 402 is answered by one signature and one re-send; a
 *   second 402 is returned as is. If the re-send fails at the connection level, it throws a
 *   `PaymentError` with reason `sent` and nothing retries it (the server may have the payment).
 * - **`maxPayment` is enforced:** offers above it are refused before signing (`over-limit`).
 * - **One network:** only offers on `network` are signed.
 * - **`upto` sessions are reused:** after a paid request the server's `X-Upto-Session` id is
 *   attached to the next request for the same resource instead of a new signature; a 402 on
 *   that request clears the session and pays once.
 *
 * The request body must be replayable (a string or bytes), since a paid request is sent twice.
 *
 * @example
 * ```ts
 * import { createX402Fetch } from '@opengradient/llm'
 * import { privateKeyToAccount } from 'viem/accounts'
 *
 * const fetch = createX402Fetch({
 *   account: privateKeyToAccount(process.env.OG_PRIVATE_KEY as `0x${string}`),
 *   network: 'eip155:10744', // the devnet
 *   maxPayment: '0.1',
 * })
 * ```
 */
export function createX402Fetch(parameters: CreateX402FetchParameters): X402Fetch {
  const network = parameters.network ?? 'eip155:8453'
  if (!/^eip155:\d+$/.test(network)) {
    throw new TypeError(
      `"network" must be a CAIP-2 EVM network like "eip155:8453", got "${network}".`,
    )
  }
  const maxPayment = toBaseUnits(parameters.maxPayment ?? defaultMaxPayment)
  const schemes = parameters.schemes ?? ['upto', 'exact']
  if (schemes.length === 0) throw new TypeError('"schemes" must name at least one scheme.')
  const sessions = parameters.sessions ?? createUptoSessionStore()
  const transport = parameters.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const { account } = parameters

  const signers = new x402Client()
  // Our own limit check runs first and says what was refused; the library's USD-denominated
  // spend controls know nothing of OPG.
  signers.setSpendControls(false)
  const signer = { address: account.address, signTypedData: account.signTypedData.bind(account) }
  if (schemes.includes('upto')) signers.register(network, new UptoEvmScheme(signer))
  if (schemes.includes('exact')) signers.register(network, new ExactEvmScheme(signer))

  const payingFetch = async (
    input: RequestInfo | URL,
    init: RequestInit = {},
  ): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input)
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
    if (init.body instanceof ReadableStream) {
      throw new TypeError(
        'An x402 request body must be a string or bytes, to be sent again with the payment.',
      )
    }
    const key = uptoSessionKey(method, url)
    const headers = new Headers(init.headers)
    headers.delete('payment-signature')
    headers.delete('x-upto-session')

    let unpaid: Response
    const session = sessions.get(key)
    if (session) {
      headers.set('x-upto-session', session.id)
      unpaid = await transport(input, { ...init, headers })
      if (unpaid.status !== 402) {
        keepSession(unpaid, key, session.payment)
        recordPayment(unpaid.headers, {
          ...session.payment,
          session: sessionIdOf(unpaid.headers) ?? session.id,
          reusedSession: true,
        })
        return unpaid
      }
      // Exhausted, expired or settled: pay once, from this very 402.
      sessions.delete(key)
      headers.delete('x-upto-session')
    } else {
      unpaid = await transport(input, { ...init, headers })
      if (unpaid.status !== 402) return unpaid
    }

    const paymentRequired = await paymentRequiredOf(unpaid, method)
    const requirements = chooseRequirements(paymentRequired, {
      network,
      schemes,
      maxPayment,
      url,
      method,
    })
    let payload: PaymentPayload
    try {
      payload = await signers.createPaymentPayload({ ...paymentRequired, accepts: [requirements] })
    } catch (error) {
      throw new PaymentError('The x402 payment could not be signed.', {
        url,
        method,
        reason: 'signing-failed',
        paymentRequired,
        cause: error,
      })
    }
    const payment: PaymentDetails = {
      scheme: requirements.scheme,
      network: requirements.network,
      asset: requirements.asset,
      amount: requirements.amount,
      payTo: requirements.payTo,
      payer: account.address,
      session: undefined,
      reusedSession: false,
    }
    headers.set('payment-signature', encodePaymentSignatureHeader(payload))
    headers.set('access-control-expose-headers', 'PAYMENT-RESPONSE,X-PAYMENT-RESPONSE')
    let paid: Response
    try {
      paid = await transport(input, { ...init, headers })
    } catch (error) {
      if (init.signal?.aborted) throw error
      throw new PaymentError(
        'The connection failed after the x402 payment was sent; the request is not retried, so it cannot be paid twice.',
        {
          url,
          method,
          reason: 'sent',
          cause: error,
          metaMessages: [`Payment: ${payment.scheme} up to ${payment.amount} of ${payment.asset}`],
        },
      )
    }
    if (paid.ok && payment.scheme === 'upto') keepSession(paid, key, payment)
    recordPayment(paid.headers, { ...payment, session: sessionIdOf(paid.headers) })
    return paid
  }

  function keepSession(response: Response, key: string, payment: PaymentDetails) {
    const id = sessionIdOf(response.headers)
    if (response.ok && id) sessions.set(key, { id, payment: { ...payment, session: id } })
  }

  return Object.assign(payingFetch, { network, maxPayment, sessions })
}

function sessionIdOf(headers: Headers): string | undefined {
  return headers.get('x-upto-session') ?? headers.get('x-upto-session-id') ?? undefined
}

async function paymentRequiredOf(response: Response, method: string): Promise<PaymentRequired> {
  const header = response.headers.get('payment-required')
  const text = await response.text().catch(() => '')
  let paymentRequired: unknown
  try {
    paymentRequired = header ? decodePaymentRequiredHeader(header) : JSON.parse(text)
  } catch (error) {
    throw new PaymentError('The server asked for a payment in a form that could not be read.', {
      url: response.url,
      method,
      status: 402,
      reason: 'unsupported',
      cause: error,
      body: text,
    })
  }
  const version = (paymentRequired as { x402Version?: unknown }).x402Version
  const accepts = (paymentRequired as { accepts?: unknown }).accepts
  if (version !== 2 || !Array.isArray(accepts)) {
    throw new PaymentError(
      `The server asked for an x402 version ${String(version)} payment; this client pays x402 version 2.`,
      { url: response.url, method, status: 402, reason: 'unsupported', paymentRequired },
    )
  }
  return paymentRequired as PaymentRequired
}

function chooseRequirements(
  paymentRequired: PaymentRequired,
  limits: {
    network: EvmNetwork
    schemes: readonly PaymentScheme[]
    maxPayment: bigint
    url: string
    method: string
  },
): PaymentRequirements {
  const offers = paymentRequired.accepts
  const described = offers.map(
    (offer) => `Offer: ${offer.scheme} on ${offer.network}, ${offer.amount} of ${offer.asset}`,
  )
  const payable = offers.filter(
    (offer) =>
      limits.schemes.includes(offer.scheme as PaymentScheme) && offer.network === limits.network,
  )
  if (payable.length === 0) {
    throw new PaymentError(
      `The server offers no payment this client can make (schemes ${limits.schemes.join(', ')} on ${limits.network}).`,
      {
        url: limits.url,
        method: limits.method,
        status: 402,
        reason: 'unsupported',
        paymentRequired,
        metaMessages: described,
      },
    )
  }
  const affordable = payable.filter((offer) => amountOf(offer) <= limits.maxPayment)
  if (affordable.length === 0) {
    throw new PaymentError(
      `The payment asked for exceeds "maxPayment" (${limits.maxPayment} base units); nothing was signed.`,
      {
        url: limits.url,
        method: limits.method,
        status: 402,
        reason: 'over-limit',
        paymentRequired,
        metaMessages: [...described, 'Raise "maxPayment" to pay this much.'],
      },
    )
  }
  const rank = (offer: PaymentRequirements) => limits.schemes.indexOf(offer.scheme as PaymentScheme)
  return affordable.sort((left, right) => rank(left) - rank(right))[0] as PaymentRequirements
}

function amountOf(offer: PaymentRequirements): bigint {
  try {
    return BigInt(offer.amount)
  } catch {
    // An amount that is not an integer cannot be compared with the limit, so it is not paid.
    return BigInt(Number.MAX_SAFE_INTEGER) ** 4n
  }
}
