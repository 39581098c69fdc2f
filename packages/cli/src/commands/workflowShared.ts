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
 *
 * @example
 * ```ts
 * const client = await workflowClient(context, { readOnly: true })
 * ```
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

/**
 * A workflow or account address from the command line, checksummed.
 *
 * @example
 * ```ts
 * parseAddress('0xd5629a5b95dde11e4b5772b5ad8a13b933e33845') // '0xD5629A5b95dde11e4B5772B5Ad8a13B933e33845'
 * ```
 */
export function parseAddress(value: string, what = 'address'): Address {
  if (!isAddress(value, { strict: false })) {
    throw new CliUsageError(`"${value}" is not a valid ${what}.`, {
      metaMessages: ['Expected 0x followed by 40 hex digits.'],
    })
  }
  return getAddress(value)
}

/**
 * A positive whole number from the command line.
 *
 * @example
 * ```ts
 * parsePositiveInteger('10', '--candles') // 10
 * ```
 */
export function parsePositiveInteger(value: string, option: string): number {
  const number = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) {
    throw new CliUsageError(
      `The value of ${option} must be a positive whole number, got "${value}".`,
    )
  }
  return number
}

/**
 * A positive number (fractions allowed) from the command line.
 *
 * @example
 * ```ts
 * parsePositiveNumber('1.5', '--duration-hours') // 1.5
 * ```
 */
export function parsePositiveNumber(value: string, option: string): number {
  const number = Number(value)
  if (!value.trim() || !Number.isFinite(number) || number <= 0) {
    throw new CliUsageError(`The value of ${option} must be a positive number, got "${value}".`)
  }
  return number
}

/**
 * The explorer page of an address, when the network has an explorer.
 *
 * @example
 * ```ts
 * addressLink(client, address) // 'https://explorer.opengradient.ai/address/0x…' (undefined on the devnet)
 * ```
 */
export function addressLink(client: AlphaClient, address: Address): string | undefined {
  const explorer = client.chain.blockExplorers?.default.url.replace(/\/+$/, '')
  return explorer ? `${explorer}/address/${address}` : undefined
}

/**
 * Prints an output as the reference's flat `name → nested array` JSON.
 *
 * @example
 * ```ts
 * printModelOutput(context, modelOutput) // {"Y": [0.0021…]}
 * ```
 */
export function printModelOutput(context: CommandContext, output: ModelOutput): void {
  context.print(JSON.stringify(flatOutput(output), null, 2))
}

/**
 * The `--json` form of an output: exact values as decimal strings.
 *
 * @example
 * ```ts
 * context.printJson({ modelOutput: modelOutputJson(modelOutput) })
 * ```
 */
export function modelOutputJson(output: ModelOutput) {
  return modelOutputToJson(output)
}

/**
 * A unix time in seconds as ISO 8601 UTC.
 *
 * @example
 * ```ts
 * isoTime(1_735_689_600n) // '2025-01-01T00:00:00Z'
 * ```
 */
export function isoTime(seconds: bigint): string {
  const milliseconds = Number(seconds) * 1000
  return Number.isFinite(milliseconds) && Math.abs(milliseconds) <= 8.64e15
    ? new Date(milliseconds).toISOString().replace('.000Z', 'Z')
    : `${seconds} (unix seconds)`
}
