import type { Address } from '@opengradient/core'

/** Assigns nonces locally so concurrent sends from one account never collide. */
export type NonceManager = {
  /** Reserves the next nonce for `address`, asking the node for its pending count the first time. */
  consume(parameters: {
    address: Address
    chainId: number
    fetchPendingCount: () => Promise<number>
  }): Promise<number>
  /** Forgets the local count, so the next reservation asks the node again. */
  reset(parameters: { address: Address; chainId: number }): void
}

/**
 * Creates a nonce manager: reservations are serialized per account and chain, so calls started
 * together get consecutive nonces. After the node rejected a send, `reset` it.
 *
 * @example
 * ```ts
 * const nonceManager = createNonceManager()
 * const nonce = await nonceManager.consume({ address, chainId: 10744, fetchPendingCount })
 * ```
 */
export function createNonceManager(): NonceManager {
  const next = new Map<string, number>()
  const queues = new Map<string, Promise<unknown>>()
  const keyOf = (address: Address, chainId: number) => `${chainId}:${address.toLowerCase()}`
  return {
    consume({ address, chainId, fetchPendingCount }) {
      const key = keyOf(address, chainId)
      const reservation = (queues.get(key) ?? Promise.resolve()).then(async () => {
        const nonce = next.get(key) ?? (await fetchPendingCount())
        next.set(key, nonce + 1)
        return nonce
      })
      queues.set(
        key,
        reservation.catch(() => {}),
      )
      return reservation
    },
    reset({ address, chainId }) {
      next.delete(keyOf(address, chainId))
    },
  }
}
