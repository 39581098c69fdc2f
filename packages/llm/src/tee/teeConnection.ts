// The lifecycle of a TEE choice (resolve, refresh, reconnect, close), independent of how a TEE's
// transport is made, so the pinned Node connection and the browser one share it.
import { type Address, type Hex, NoActiveTeeError } from '@opengradient/core'
import type { Chain, Client, Transport } from 'viem'
import { getActiveTees, TeeType, teeRegistryAddressOf } from './getActiveTees.js'
import type { ActiveTee, ResolvedTee, TeeConnection, TeeLogger } from './types.js'

/** What every TEE connection is configured with. */
export type TeeConnectionParameters = {
  /** A viem client of the chain the registry lives on (a `PublicClient`). */
  publicClient: Client<Transport, Chain | undefined>
  /**
   * The registry's address.
   * @default the client chain's `contracts.teeRegistry`, else `teeRegistryAddress`
   */
  registryAddress?: Address | undefined
  /**
   * Use only this TEE (`0x`-prefixed or not, any case). When the registry does not list it as
   * active, resolving fails with `NoActiveTeeError` ("Selected TEE is not active in the
   * registry"); refreshes keep it.
   * @default a uniformly random active LLM proxy TEE
   */
  teeId?: Hex | string | undefined
  /**
   * Milliseconds between registry refreshes; `0` turns the loop off. The loop starts with the
   * first `current()`, its timer never keeps the process alive, and `close()` stops it.
   * @default 300_000
   */
  refreshInterval?: number | undefined
  /** Told about skipped registry entries, moves to another TEE and failed refreshes. */
  logger?: TeeLogger | undefined
  /**
   * Random numbers in [0, 1) for the choice of TEE.
   * @default Math.random
   */
  random?: (() => number) | undefined
}

/** How a connection reaches a TEE: a transport per TEE, closed when the connection moves on. */
export type TeeTransportFactory = {
  pinned: boolean
  create(tee: ActiveTee): typeof globalThis.fetch & { close?: (() => void) | undefined }
}

/**
 * Builds a {@link TeeConnection} over a transport factory. The public constructors are
 * `createTeeConnection` (`@opengradient/llm/node`) and {@link createUnpinnedTeeConnection}.
 *
 * @example
 * ```ts
 * const connection = createTeeConnectionWith({ publicClient }, { pinned: false, create: () => fetch })
 * ```
 */
export function createTeeConnectionWith(
  parameters: TeeConnectionParameters,
  transports: TeeTransportFactory,
): TeeConnection {
  const { publicClient, logger } = parameters
  const registryAddress = teeRegistryAddressOf(publicClient, parameters.registryAddress)
  const selectedTeeId =
    parameters.teeId === undefined ? undefined : normalizeTeeId(parameters.teeId)
  const refreshInterval = parameters.refreshInterval ?? 300_000
  if (!(refreshInterval >= 0)) {
    throw new TypeError(`"refreshInterval" must be 0 or more, got ${refreshInterval}.`)
  }
  const random = parameters.random ?? Math.random

  let active: ResolvedTee | undefined
  let closeActive: (() => void) | undefined
  // Every TEE endpoint this connection resolved, so requests prepared for a TEE still reach it
  // through its pinned transport after the connection moved on.
  const routes = new Map<string, ResolvedTee>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let looping = false
  // Resolutions, refreshes and reconnects run one at a time: simultaneous failures then lead to
  // one registry lookup, and the current TEE never changes under a running refresh.
  let queue: Promise<unknown> = Promise.resolve()
  const exclusive = <result>(task: () => Promise<result>): Promise<result> => {
    const run = queue.then(task, task)
    queue = run.catch(() => {})
    return run
  }

  const lookup = () =>
    getActiveTees({
      client: publicClient,
      address: registryAddress,
      teeType: TeeType.LlmProxy,
      logger,
    })

  const choose = (tees: readonly ActiveTee[], avoid: Hex | undefined): ActiveTee => {
    if (selectedTeeId) {
      const selected = tees.find((tee) => tee.teeId === selectedTeeId)
      if (!selected) {
        throw new NoActiveTeeError(
          `Selected TEE is not active in the registry: "${selectedTeeId}".`,
          { registryAddress, teeId: selectedTeeId },
        )
      }
      return selected
    }
    if (tees.length === 0) {
      throw new NoActiveTeeError('No active LLM proxy TEE was found in the registry.', {
        registryAddress,
      })
    }
    const others = avoid ? tees.filter((tee) => tee.teeId !== avoid) : []
    const candidates = others.length > 0 ? others : tees
    const index = Math.min(candidates.length - 1, Math.floor(random() * candidates.length))
    return candidates[Math.max(0, index)] as ActiveTee
  }

  const adopt = (tee: ActiveTee): ResolvedTee => {
    if (
      active &&
      active.teeId === tee.teeId &&
      active.endpoint === tee.endpoint &&
      active.tlsCertificate === tee.tlsCertificate
    ) {
      return active
    }
    const transport = transports.create(tee)
    const resolved: ResolvedTee = {
      teeId: tee.teeId,
      endpoint: tee.endpoint,
      publicKey: tee.publicKey,
      tlsCertificate: tee.tlsCertificate,
      paymentAddress: tee.paymentAddress,
      fetch: transport,
      pinned: transports.pinned,
    }
    const previous = active
    closeActive?.()
    active = resolved
    closeActive = transport.close?.bind(transport)
    routes.set(resolved.endpoint, resolved)
    if (previous) {
      logger?.info?.(`Moved from TEE ${previous.teeId} to TEE ${resolved.teeId}.`, {
        from: previous.teeId,
        to: resolved.teeId,
        endpoint: resolved.endpoint,
      })
    }
    return resolved
  }

  const refreshNow = async (): Promise<ResolvedTee | undefined> => {
    const current = active
    if (!current) return undefined
    let tees: ActiveTee[]
    try {
      tees = await lookup()
    } catch (error) {
      logger?.warn?.('The TEE registry could not be read; keeping the current TEE.', {
        teeId: current.teeId,
        error,
      })
      return current
    }
    const listed = tees.find((tee) => tee.teeId === current.teeId)
    if (listed) return adopt(listed)
    try {
      return adopt(choose(tees, current.teeId))
    } catch (error) {
      logger?.warn?.(`TEE ${current.teeId} left the registry, and no other can replace it.`, {
        teeId: current.teeId,
        error,
      })
      return current
    }
  }

  const schedule = () => {
    timer = setTimeout(async () => {
      await exclusive(refreshNow).catch(() => {})
      if (looping) schedule()
    }, refreshInterval)
    // The loop is housekeeping: it must never keep a process alive on its own.
    ;(timer as { unref?: () => void }).unref?.()
  }
  const startLoop = () => {
    if (looping || refreshInterval === 0 || !Number.isFinite(refreshInterval)) return
    looping = true
    schedule()
  }

  return {
    registryAddress,
    pinned: transports.pinned,
    async current() {
      const resolved =
        active ?? (await exclusive(async () => active ?? adopt(choose(await lookup(), undefined))))
      startLoop()
      return resolved
    },
    async reconnect(options = {}) {
      const resolved = await exclusive(async () => {
        const { replacing } = options
        if (replacing && active && active !== replacing) return active
        return adopt(choose(await lookup(), replacing?.teeId))
      })
      startLoop()
      return resolved
    },
    refresh: () => exclusive(refreshNow),
    transportFor(url) {
      const under = (endpoint: string) =>
        url.startsWith(endpoint) &&
        (url.length === endpoint.length || '/?#'.includes(url.charAt(endpoint.length)))
      if (active && under(active.endpoint)) return active.fetch
      for (const tee of routes.values()) if (under(tee.endpoint)) return tee.fetch
      return undefined
    },
    close() {
      looping = false
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      closeActive?.()
      closeActive = undefined
      active = undefined
    },
  }
}

/**
 * A TEE id as the gateway writes it: lower-case with `0x` (the Python library renders the
 * registry's `keccak256(publicKey)` without it).
 *
 * @example
 * ```ts
 * normalizeTeeId('ABCD') // '0xabcd'
 * ```
 */
export function normalizeTeeId(teeId: string): Hex {
  const hex = teeId.trim().toLowerCase().replace(/^0x/, '')
  return `0x${hex}`
}
