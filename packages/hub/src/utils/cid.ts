// Content ids of model files, byte for byte those of `ipfs add` with Kubo's defaults.

import { importFile, type WritableStorage } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'

/** Kubo's default chunker, `size-262144`. */
const chunkSize = 262_144
/** Kubo's balanced layout puts at most 174 links in a node. */
const maxChildrenPerNode = 174

// The importer only needs `put`; the CID is computed before the call, so discarding the block
// leaves a pure hash function over the file.
const hashOnlyBlockstore: WritableStorage = {
  put: (cid) => cid,
}

/**
 * Computes the IPFS content id a file gets from `ipfs add` with Kubo's defaults: CIDv0
 * (`Qm…`), 256 KiB fixed-size chunks, a balanced DAG of at most 174 links per node and dag-pb
 * (not raw) leaves. Nothing is stored: blocks are hashed and dropped.
 *
 * @param bytes - The whole file, or its bytes as a stream (read once, in order).
 * @returns The base58btc CIDv0 string.
 *
 * @example
 * ```ts
 * import { computeModelCid } from '@opengradient/hub'
 *
 * await computeModelCid(new TextEncoder().encode('hello world\n'))
 * // 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o'
 * ```
 */
export async function computeModelCid(
  bytes: Uint8Array | AsyncIterable<Uint8Array>,
): Promise<string> {
  const result = await importFile({ content: bytes }, hashOnlyBlockstore, {
    cidVersion: 0,
    rawLeaves: false,
    leafType: 'file',
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize }),
    layout: balanced({ maxChildrenPerNode }),
  })
  return result.cid.toString()
}
