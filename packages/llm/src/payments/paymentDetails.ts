// The payment behind a response, kept beside it without touching its headers or body.
import type { PaymentDetails } from '@opengradient/core'

const payments = new WeakMap<Headers, PaymentDetails>()

/**
 * The x402 payment made for a response of a paying fetch (keyed by the response's `headers`),
 * or `undefined` when the request needed none.
 *
 * @example
 * ```ts
 * const response = await payingFetch(url, init)
 * paymentOf(response.headers)?.amount // '100000000000000000'
 * ```
 */
export function paymentOf(headers: Headers): PaymentDetails | undefined {
  return payments.get(headers)
}

/**
 * Records the payment made for a response (see {@link paymentOf}).
 *
 * @example
 * ```ts
 * recordPayment(response.headers, payment)
 * ```
 */
export function recordPayment(headers: Headers, payment: PaymentDetails): void {
  payments.set(headers, payment)
}
