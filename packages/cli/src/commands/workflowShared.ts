// What the workflow commands share: the client, argument checks and result printing.
import { type AlphaClient, createAlphaClient } from '@opengradient/alpha'
import { type Address, type ModelOutput, modelOutputToJson } from '@opengradient/core'
import { getAddress, isAddress, zeroAddress } from 'viem'
import type { CommandContext } from '../context.js'
import { CliUsageError, MissingPrivateKeyError } from '../errors.js'
import { flatOutput } from './infer.js'

/**
 * The Alpha client of a workflow command. Reads work without a configured key (they send
 * nothing), so `readOnly` commands fall back to the zero address as the caller.
 */
export async function workflowClient(
  context: CommandContext,
  options: { readOnly?: boolean | undefined } = {},
): Promise<AlphaClient> {
  const chain = context.getChain()
  try {
    return createAlphaClient({ chain, account: await context.getAccount({ key: 'alpha' }) })
  } catch (error) {
    if (!options.readOnly || !(error instanceof MissingPrivateKeyError)) throw error
    return createAlphaClient({ chain, account: zeroAddress })
  }
}

/** A workflow or account address from the command line, checksummed. */
export function parseAddress(value: string, what = 'address'): Address {
  if (!isAddress(value, { strict: false })) {
    throw new CliUsageError(`"${value}" is not a valid ${what}.`, {
      metaMessages: ['Expected 0x followed by 40 hex digits.'],
    })
  }
  return getAddress(value)
}

/** A positive whole number from the command line. */
export function parsePositiveInteger(value: string, option: string): number {
  const number = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) {
    throw new CliUsageError(
      `The value of ${option} must be a positive whole number, got "${value}".`,
    )
  }
  return number
}

/** A positive number (fractions allowed) from the command line. */
export function parsePositiveNumber(value: string, option: string): number {
  const number = Number(value)
  if (!value.trim() || !Number.isFinite(number) || number <= 0) {
    throw new CliUsageError(`The value of ${option} must be a positive number, got "${value}".`)
  }
  return number
}

/** The explorer page of an address, when the network has an explorer. */
export function addressLink(client: AlphaClient, address: Address): string | undefined {
  const explorer = client.chain.blockExplorers?.default.url.replace(/\/+$/, '')
  return explorer ? `${explorer}/address/${address}` : undefined
}

/** Prints an output as the reference's flat `name → nested array` JSON. */
export function printModelOutput(context: CommandContext, output: ModelOutput): void {
  context.print(JSON.stringify(flatOutput(output), null, 2))
}

/** The `--json` form of an output: exact values as decimal strings. */
export function modelOutputJson(output: ModelOutput) {
  return modelOutputToJson(output)
}

/** A unix time in seconds as ISO 8601 UTC. */
export function isoTime(seconds: bigint): string {
  const milliseconds = Number(seconds) * 1000
  return Number.isFinite(milliseconds) && Math.abs(milliseconds) <= 8.64e15
    ? new Date(milliseconds).toISOString().replace('.000Z', 'Z')
    : `${seconds} (unix seconds)`
}
