import type { Address } from '@opengradient/core'

/** Assigns nonces locally so concurrent sends from one account never collide. */
export type NonceManager = {
  /** Reserves the next nonce for `address`, reading the node's pending count the first time. */
  consume(parameters: {
    address: Address
    chainId: number
    fetchPendingCount: () => Promise<number>
  }): Promise<number>
  /** Forgets the local count, so the next `consume` asks the node again (after a rejected send). */
  reset(parameters: { address: Address; chainId: number }): void
}

/**
 * Creates a nonce manager. Reservations are serialized per account, so 200 `infer` calls
 * started at once get 200 consecutive nonces. After a send was rejected for its nonce, call
 * `reset` so the next reservation starts from the node's count again.
 *
 * @example
 * ```ts
 * const nonceManager = createNonceManager()
 * const nonce = await nonceManager.consume({ address, chainId, fetchPendingCount })
 * ```
 */
export function createNonceManager(): NonceManager {
  const next = new Map<string, number>()
  const locks = new Map<string, Promise<unknown>>()
  const keyOf = (address: Address, chainId: number) => `${chainId}:${address.toLowerCase()}`
  return {
    consume({ address, chainId, fetchPendingCount }) {
      const key = keyOf(address, chainId)
      const run = (locks.get(key) ?? Promise.resolve()).then(async () => {
        let nonce = next.get(key)
        if (nonce === undefined) nonce = await fetchPendingCount()
        next.set(key, nonce + 1)
        return nonce
      })
      locks.set(
        key,
        run.catch(() => {}),
      )
      return run
    },
    reset({ address, chainId }) {
      next.delete(keyOf(address, chainId))
    },
  }
}
