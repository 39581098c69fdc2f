/** A `0x`-prefixed hex string. */
export type Hex = `0x${string}`
/** A `0x`-prefixed 20-byte address. */
export type Address = `0x${string}`
/** A `0x`-prefixed 32-byte hash, such as a transaction hash. */
export type Hash = `0x${string}`
