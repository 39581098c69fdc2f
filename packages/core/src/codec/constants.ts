// Limits of the fixed-point format shared by the codec's encoders and decoders.

/** Largest int128; both fields of an on-chain fixed-point number are int128. */
export const int128Max = 170141183460469231731687303715884105727n

/** Smallest int128. */
export const int128Min = -170141183460469231731687303715884105728n

/** The node rejects inputs with more decimals (`Decimal value greater than precision limit`). */
export const maxInputDecimals = 18

/** Largest shape dimension: shapes are `uint32[]` on chain. */
export const uint32Max = 4294967295
