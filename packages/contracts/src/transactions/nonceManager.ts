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
  /**
   * The nonce the next `consume` will give, when it is known locally and no reservation is on
   * its way; reserves nothing. Lets a send prepare its signature while its estimate is asked.
   */
  peek?(parameters: { address: Address; chainId: number }): number | undefined
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
  const pending = new Map<string, number>()
  const keyOf = (address: Address, chainId: number) => `${chainId}:${address.toLowerCase()}`
  return {
    consume({ address, chainId, fetchPendingCount }) {
      const key = keyOf(address, chainId)
      pending.set(key, (pending.get(key) ?? 0) + 1)
      const run = (locks.get(key) ?? Promise.resolve())
        .then(async () => {
          let nonce = next.get(key)
          if (nonce === undefined) nonce = await fetchPendingCount()
          next.set(key, nonce + 1)
          return nonce
        })
        .finally(() => {
          const left = (pending.get(key) ?? 1) - 1
          if (left > 0) pending.set(key, left)
          else pending.delete(key)
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
    peek({ address, chainId }) {
      const key = keyOf(address, chainId)
      return pending.has(key) ? undefined : next.get(key)
    },
  }
}
