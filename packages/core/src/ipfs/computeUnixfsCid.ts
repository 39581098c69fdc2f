// The IPFS content id of a file as `ipfs add` computes it with Kubo's defaults, with no
// dependency beyond Web Crypto, so browsers and Node can check downloaded bytes.

export type ComputeUnixfsCidParameters = Uint8Array | AsyncIterable<Uint8Array>

export type ComputeUnixfsCidReturnType = string

/** Kubo's default chunker, `size-262144`. */
const chunkSize = 262_144
/** Kubo's balanced layout puts at most 174 links in a node. */
const maxLinksPerNode = 174

/** A node of the DAG as its parent needs it. */
type DagNode = {
  /** The multihash of the node's block (sha2-256). */
  multihash: Uint8Array
  /** The block's size plus the sizes of everything below it (`Tsize` of the link). */
  totalSize: number
  /** Bytes of the file under this node (its entry in the parent's `blocksizes`). */
  fileSize: number
}

/**
 * Computes the IPFS content id a file gets from `ipfs add` with Kubo's defaults: CIDv0
 * (`Qm…`), 256 KiB fixed-size chunks, dag-pb leaves holding UnixFS file data, and a balanced
 * DAG of at most 174 links per node. Blocks are hashed with Web Crypto and dropped, so memory
 * stays at one chunk whatever the file size.
 *
 * @param source - The whole file, or its bytes as a stream (read once, in order).
 * @returns The base58btc CIDv0 string.
 *
 * @example
 * ```ts
 * import { computeUnixfsCid } from '@opengradient/core'
 *
 * await computeUnixfsCid(new TextEncoder().encode('hello world\n'))
 * // 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o'
 * ```
 */
export async function computeUnixfsCid(
  source: ComputeUnixfsCidParameters,
): Promise<ComputeUnixfsCidReturnType> {
  const builder = createBalancedBuilder()
  const chunk = new Uint8Array(chunkSize)
  let filled = 0
  let leaves = 0
  const pieces = source instanceof Uint8Array ? [source] : source
  for await (const piece of pieces) {
    if (!(piece instanceof Uint8Array)) throw new TypeError('A file stream must yield Uint8Array.')
    let offset = 0
    while (offset < piece.byteLength) {
      const taken = Math.min(chunkSize - filled, piece.byteLength - offset)
      chunk.set(piece.subarray(offset, offset + taken), filled)
      filled += taken
      offset += taken
      if (filled === chunkSize) {
        await builder.addLeaf(await leafNode(chunk))
        leaves++
        filled = 0
      }
    }
  }
  // The chunker emits the last partial chunk, or one empty chunk for an empty file.
  if (filled > 0 || leaves === 0) await builder.addLeaf(await leafNode(chunk.subarray(0, filled)))
  return base58btc(await builder.finish())
}

/**
 * The balanced layout, built as leaves arrive: every full group of 174 nodes of a level becomes
 * a node of the level above at once, and the partial groups are closed at the end. This gives
 * the same tree as batching each whole level in turn.
 */
function createBalancedBuilder() {
  const levels: DagNode[][] = []
  let leafCount = 0

  async function push(level: number, node: DagNode): Promise<void> {
    const nodes = levels[level] ?? []
    levels[level] = nodes
    nodes.push(node)
    if (nodes.length === maxLinksPerNode) {
      levels[level] = []
      await push(level + 1, await parentNode(nodes))
    }
  }

  return {
    async addLeaf(node: DagNode) {
      leafCount++
      await push(0, node)
    },
    async finish(): Promise<Uint8Array> {
      for (let level = 0; ; level++) {
        const nodes = levels[level] ?? []
        const higher = levels.slice(level + 1).some((above) => above.length > 0)
        // A file of one chunk is that chunk's leaf; above the leaves, a level of one node is
        // the root.
        if (!higher && nodes.length === 1 && (level > 0 || leafCount === 1)) {
          return nodes[0]!.multihash
        }
        if (nodes.length > 0) {
          levels[level] = []
          await push(level + 1, await parentNode(nodes))
        }
      }
    },
  }
}

async function leafNode(data: Uint8Array): Promise<DagNode> {
  // UnixFS Data { Type: File, Data: bytes (omitted when empty), filesize }
  const unixfs = concat([
    [0x08, 0x02],
    data.byteLength > 0 ? field(2, data) : [],
    [0x18, ...varint(data.byteLength)],
  ])
  const block = concat([field(1, unixfs)])
  return {
    multihash: await sha256Multihash(block),
    totalSize: block.byteLength,
    fileSize: data.byteLength,
  }
}

async function parentNode(children: readonly DagNode[]): Promise<DagNode> {
  // Children without file bytes are not linked (only an empty file has one, and it is a leaf).
  const linked = children.filter((child) => child.fileSize > 0)
  const fileSize = linked.reduce((sum, child) => sum + child.fileSize, 0)
  const unixfs = concat([
    [0x08, 0x02, 0x18, ...varint(fileSize)],
    ...linked.map((child) => [0x20, ...varint(child.fileSize)]),
  ])
  // dag-pb writes links (field 2) before data (field 1). A link: Hash, an empty Name, Tsize.
  const links = linked.map((child) =>
    field(2, concat([field(1, child.multihash), [0x12, 0x00], [0x18, ...varint(child.totalSize)]])),
  )
  const block = concat([...links, field(1, unixfs)])
  const totalSize = linked.reduce((sum, child) => sum + child.totalSize, block.byteLength)
  return { multihash: await sha256Multihash(block), totalSize, fileSize }
}

async function sha256Multihash(block: Uint8Array): Promise<Uint8Array> {
  const digest = new Uint8Array(
    await globalThis.crypto.subtle.digest('SHA-256', block as Uint8Array<ArrayBuffer>),
  )
  return concat([[0x12, 0x20], digest])
}

/** A length-delimited protobuf field. */
function field(number: number, bytes: Uint8Array): Uint8Array {
  return concat([[(number << 3) | 2, ...varint(bytes.byteLength)], bytes])
}

function varint(value: number): number[] {
  const bytes: number[] = []
  let rest = value
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  bytes.push(rest)
  return bytes
}

function concat(parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  const length = parts.reduce((sum, part) => sum + part.length, 0)
  const result = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    result.set(part, offset)
    offset += part.length
  }
  return result
}

const base58Alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

function base58btc(bytes: Uint8Array): string {
  let value = 0n
  for (const byte of bytes) value = (value << 8n) | BigInt(byte)
  let text = ''
  while (value > 0n) {
    text = base58Alphabet[Number(value % 58n)]! + text
    value /= 58n
  }
  for (const byte of bytes) {
    if (byte !== 0) break
    text = `1${text}`
  }
  return text
}
