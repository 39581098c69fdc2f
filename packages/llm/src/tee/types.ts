// The shapes of TEE discovery and connections, shared by the browser-safe and the Node entry.
import type { Address, Hex } from '@opengradient/core'

/** The OHTTP key configuration a TEE registered (registry ABI of reference 1.0.7+). */
export type TeeOhttpConfig = {
  keyId: number
  kemId: number
  kdfId: number
  aeadId: number
  publicKey: Hex
  keyConfig: Hex
  registeredAt: bigint
}

/** An active TEE as the registry lists it. */
export type ActiveTee = {
  /** `keccak256(publicKey)`, lower-case with `0x` (the form the gateway's `tee_id` has). */
  teeId: Hex
  owner: Address
  /** Where x402 payments to this TEE settle (`tee_payment_address`). */
  paymentAddress: Address
  /** The base URL requests go to, without a trailing slash (e.g. `https://3.15.214.21`). */
  endpoint: string
  /** The DER SubjectPublicKeyInfo of the key that signs the TEE's answers. */
  publicKey: Hex
  /** The DER X.509 certificate the TEE serves TLS with; connections pin it. */
  tlsCertificate: Hex
  /** The reproducible-build measurement the TEE attested. */
  pcrHash: Hex
  /** `0` = LLM proxy, `1` = validator. */
  teeType: number
  /** Unix seconds. */
  registeredAt: bigint
  /** Unix seconds of the last heartbeat. */
  lastHeartbeatAt: bigint
  /** The OHTTP configuration, when the registry has one for this TEE (the legacy one never does). */
  ohttp?: TeeOhttpConfig | undefined
}

/** The TEE a connection sends requests to, with the transport that reaches it. */
export type ResolvedTee = {
  /** `keccak256(publicKey)`, lower-case with `0x`. */
  teeId: Hex
  /** The base URL, without a trailing slash. */
  endpoint: string
  /** The DER SubjectPublicKeyInfo of the TEE's signing key, from the registry. */
  publicKey: Hex
  /** The DER certificate TLS is pinned to. */
  tlsCertificate: Hex
  paymentAddress: Address
  /** The transport to this TEE: pinned to `tlsCertificate` when `pinned` is true. */
  fetch: typeof globalThis.fetch
  /** Whether `fetch` trusts only `tlsCertificate` (always in Node; never in browsers). */
  pinned: boolean
}

/**
 * Receives what the TEE layer has to report (skipped registry entries, moves to another TEE,
 * failed refreshes). The library never writes to the console itself; `console` fits here.
 */
export type TeeLogger = {
  warn?: ((message: string, context?: Record<string, unknown>) => void) | undefined
  info?: ((message: string, context?: Record<string, unknown>) => void) | undefined
}

/**
 * A live choice of TEE from the registry: resolved on first use, refreshed in the background,
 * replaced on demand. Made by `createTeeConnection` (`@opengradient/llm/node`, pinned TLS) or
 * {@link createUnpinnedTeeConnection} (browsers), and given to `createLlmClient({ tee })`.
 */
export type TeeConnection = {
  /** The registry the TEEs come from. */
  registryAddress: Address
  /** Whether the TEEs' TLS certificates are pinned. */
  pinned: boolean
  /**
   * The TEE to use now. The first call reads the registry and starts the refresh loop.
   * Throws `TeeRegistryError` when the registry cannot be read and `NoActiveTeeError` when it
   * lists no usable TEE.
   */
  current(): Promise<ResolvedTee>
  /**
   * Reads the registry again and moves to a random active TEE, preferring another than
   * `replacing` (the one that just failed). When the connection already moved off `replacing`,
   * the current TEE is returned without a new lookup, so simultaneous failures reconnect once.
   */
  reconnect(parameters?: { replacing?: ResolvedTee | undefined }): Promise<ResolvedTee>
  /**
   * One refresh now (what the loop does every interval): keeps the current TEE while the
   * registry lists it, moves to a random active one otherwise, and keeps the old one when the
   * registry cannot be read.
   */
  refresh(): Promise<ResolvedTee | undefined>
  /**
   * The transport of the resolved TEE whose endpoint `url` is under, if any. The LLM client
   * routes its requests through it, below its payment layer.
   */
  transportFor(url: string): typeof globalThis.fetch | undefined
  /** Stops the refresh loop and closes idle connections; the next `current()` starts over. */
  close(): void
}
