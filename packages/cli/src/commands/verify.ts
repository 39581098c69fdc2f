import { createAlphaClient } from '@opengradient/alpha'
import { BaseError, type Hash } from '@opengradient/core'
import { zeroAddress } from 'viem'
import type { CommandContext } from '../context.js'
import { CliUsageError } from '../errors.js'
import { hubEndpointsOf } from '../hub.js'

export type VerifyOptions = { tx: string; index?: string | undefined }

/**
 * `og verify --tx HASH`: re-runs the inference of a transaction locally (model downloaded
 * from the network's IPFS gateway and checked against its CID, run with onnxruntime-web) and
 * compares every output with the chain's. Exits 1 when they do not match.
 *
 * @example
 * ```sh
 * og --network devnet verify --tx 0x…
 * # Verified: every output matches a re-run of the model.
 * ```
 */
export async function verify(context: CommandContext, options: VerifyOptions): Promise<void> {
  const hash = options.tx.startsWith('0x') ? options.tx : `0x${options.tx}`
  if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) {
    throw new CliUsageError(`"${options.tx}" is not a transaction hash.`, {
      metaMessages: ['Expected 64 hex digits, with or without a 0x prefix.'],
    })
  }
  const index = options.index === undefined ? undefined : Number(options.index)
  if (index !== undefined && (!Number.isInteger(index) || index < 0)) {
    throw new CliUsageError(`"${options.index}" is not an inference index.`)
  }
  const base = context.getChain()
  // OG_IPFS_GATEWAY overrides the network's gateway, as for og download.
  const chain = {
    ...base,
    opengradient: { ...base.opengradient, ipfsGatewayUrl: hubEndpointsOf(context).gatewayUrl },
  }
  // Verifying sends nothing: no key is needed, the account is never used.
  const client = createAlphaClient({ chain, account: zeroAddress })
  const result = await client.verifyInference({ transactionHash: hash as Hash, index })
  if (context.json) {
    context.printJson(result)
  } else {
    context.print(`Transaction: ${hash}`)
    context.print(`Model: ${result.modelCid} (downloaded and checked against its content id)`)
    context.print(`Inference ID: ${result.inferenceId}`)
    context.print()
    for (const output of result.outputs) {
      const mark = output.matches ? '✔' : '✘'
      const difference = Number.isFinite(output.maxAbsDifference)
        ? `max |difference| ${output.maxAbsDifference}`
        : 'not comparable'
      context.print(
        `  ${mark} ${output.name} (${output.kind}): ${difference}${output.reason ? ` (${output.reason})` : ''}`,
      )
    }
    context.print()
  }
  if (!result.verified) {
    throw new BaseError('Not verified: the outputs on chain do not match a re-run of the model.', {
      metaMessages: [`Transaction: ${hash}`],
    })
  }
  context.print('Verified: every output matches a re-run of the model.')
}
