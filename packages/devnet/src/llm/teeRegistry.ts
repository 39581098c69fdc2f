// The devnet's TEE registry: our registry contract at the network's address, run by a fixed
// operator account that anvil lets the devnet send from without a key.
import { teeRegistryAbi, teeRegistryDeployedBytecode } from '@opengradient/contracts'
import { type Address, BaseError, type Hex, teeRegistryAddress } from '@opengradient/core'
import {
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  decodeFunctionResult,
  encodeFunctionData,
  isAddressEqual,
  keccak256,
  numberToHex,
  zeroAddress,
} from 'viem'
import type { JsonRpcClient } from '../rpc/jsonRpc.js'

/**
 * The account that owns the devnet's TEE registry and operates its TEE (registration,
 * heartbeats). It has no known key: the devnet sends as it through anvil's impersonation.
 */
export const devnetTeeOperatorAddress: Address = '0x6faE363F00ab8f88A48251060B1d3B6f26131B79'

/**
 * Where the devnet TEE's payments settle (its registry `paymentAddress`, the x402 `payTo`):
 * account 10 of the dev mnemonic (`m/44'/60'/0'/0/10`), one past the funded dev accounts, so its
 * balance moves only with payments.
 */
export const devnetTeePaymentAddress: Address = '0xBcd4042DE499D14e55001CcbB24a551F3b954096'

/** The measurement the devnet TEE registers: `keccak256("opengradient devnet tee")`. */
export const devnetTeePcrHash: Hex =
  '0x8d6f04e14ba5a5a4b7c595e0ee73c93c32de6c5ad7ebe03545f3f3690373343d'

const registryGasLimit = 10_000_000n

/** TEE types of the registry. */
export const teeTypes = { llmProxy: 0, validator: 1 } as const

/** A registry entry, as `getTEE` returns it (typed from the generated ABI). */
export type TeeRegistryEntry = ContractFunctionReturnType<typeof teeRegistryAbi, 'view', 'getTEE'>

/** What a registration lists. */
export type TeeRegistration = {
  endpoint: string
  /** DER SubjectPublicKeyInfo of the RSA signing key. */
  publicKey: Hex
  /** DER certificate of the endpoint. */
  tlsCertificate: Hex
  paymentAddress: Address
  pcrHash: Hex
  teeType: number
}

/** Sends registry transactions as the operator and reads the registry, through anvil itself. */
export type TeeRegistryAdmin = {
  address: Address
  /** Installs the code (storage is kept), funds the operator and names it owner when unset. */
  install(): Promise<void>
  register(registration: TeeRegistration): Promise<{ teeId: Hex; transactionHash: Hex }>
  setEnabled(teeId: Hex, enabled: boolean): Promise<{ transactionHash: Hex }>
  heartbeat(teeId: Hex): Promise<{ transactionHash: Hex }>
  getTee(teeId: Hex): Promise<TeeRegistryEntry>
  heartbeatTimeout(): Promise<bigint>
  /** The latest block's time, the clock heartbeats are measured on. */
  latestTimestamp(): Promise<bigint>
}

/**
 * Creates the operator side of the devnet's registry. Transactions go straight to anvil, one at
 * a time: they never meet the front's pre-execution, and anvil assigns their nonces.
 *
 * @example
 * ```ts
 * const admin = createTeeRegistryAdmin({ anvil })
 * await admin.install()
 * const { teeId } = await admin.register({ endpoint, publicKey, tlsCertificate, paymentAddress, pcrHash, teeType: 0 })
 * ```
 */
export function createTeeRegistryAdmin(parameters: {
  anvil: JsonRpcClient
  /** @default teeRegistryAddress */
  address?: Address | undefined
}): TeeRegistryAdmin {
  const { anvil } = parameters
  const address = parameters.address ?? teeRegistryAddress
  let queue: Promise<unknown> = Promise.resolve()

  type Writable = ContractFunctionName<typeof teeRegistryAbi, 'nonpayable'>
  type Readable = ContractFunctionName<typeof teeRegistryAbi, 'view'>

  function send<name extends Writable>(
    functionName: name,
    args: ContractFunctionArgs<typeof teeRegistryAbi, 'nonpayable', name>,
  ): Promise<{ transactionHash: Hex }> {
    const data = encodeFunctionData({ abi: teeRegistryAbi, functionName, args } as never)
    const run = queue.then(async () => {
      // Simulated first: a refusal surfaces with its reason and never mines a failed transaction.
      const call = { from: devnetTeeOperatorAddress, to: address, data }
      try {
        await anvil.request('eth_call', [call, 'latest'])
      } catch (error) {
        throw new BaseError(`The TEE registry refused "${functionName}": ${reasonOf(error)}`, {
          cause: error,
        })
      }
      // A fixed, ample gas limit (only used gas is paid): anvil's own estimate can come out
      // short right after it restored a state file, and a short one reverts the registration.
      const transactionHash = await anvil.request<Hex>('eth_sendTransaction', [
        { ...call, gas: numberToHex(registryGasLimit) },
      ])
      const receipt = await waitForReceipt(transactionHash)
      if (receipt.status !== '0x1') {
        throw new BaseError(`The TEE registry reverted "${functionName}".`, {
          metaMessages: [
            `Transaction: ${transactionHash}`,
            `Reason: ${await revertReason(data, receipt.blockNumber)}`,
            `Gas used: ${BigInt(receipt.gasUsed)}`,
          ],
        })
      }
      return { transactionHash }
    })
    queue = run.catch(() => {})
    return run
  }

  async function waitForReceipt(hash: Hex) {
    for (let attempt = 0; attempt < 500; attempt++) {
      const receipt = await anvil.request<{ status: Hex; blockNumber: Hex; gasUsed: Hex } | null>(
        'eth_getTransactionReceipt',
        [hash],
      )
      if (receipt) return receipt
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    throw new BaseError(`The TEE registry transaction ${hash} was not mined.`)
  }

  /** Replays a reverted call on the state before its block, for the reason. */
  async function revertReason(data: Hex, blockNumber: Hex): Promise<string> {
    try {
      await anvil.request('eth_call', [
        { from: devnetTeeOperatorAddress, to: address, data },
        numberToHex(BigInt(blockNumber) - 1n),
      ])
      return 'none (the call succeeds on the previous state)'
    } catch (error) {
      return reasonOf(error)
    }
  }

  async function read<name extends Readable>(
    functionName: name,
    args?: ContractFunctionArgs<typeof teeRegistryAbi, 'view', name>,
  ) {
    const data = encodeFunctionData({ abi: teeRegistryAbi, functionName, args } as never)
    const result = await anvil.request<Hex>('eth_call', [{ to: address, data }, 'latest'])
    return decodeFunctionResult({ abi: teeRegistryAbi, functionName, data: result } as never)
  }

  return {
    address,
    async install() {
      await anvil.request('anvil_setCode', [address, teeRegistryDeployedBytecode])
      await anvil.request('anvil_impersonateAccount', [devnetTeeOperatorAddress])
      const balance = await anvil.request<Hex>('eth_getBalance', [
        devnetTeeOperatorAddress,
        'latest',
      ])
      if (BigInt(balance) < 10n ** 18n) {
        await anvil.request('anvil_setBalance', [devnetTeeOperatorAddress, numberToHex(10n ** 21n)])
      }
      const owner = (await read('owner')) as Address
      if (isAddressEqual(owner, zeroAddress)) await send('initialize', [devnetTeeOperatorAddress])
      else if (!isAddressEqual(owner, devnetTeeOperatorAddress)) {
        throw new BaseError('The devnet no longer owns its TEE registry.', {
          metaMessages: [
            `Registry: ${address}`,
            `Owner: ${owner}`,
            `Expected: ${devnetTeeOperatorAddress}`,
            'Transfer the ownership back, or start with a fresh data directory.',
          ],
        })
      }
    },
    async register(registration) {
      const { transactionHash } = await send('registerTEE', [
        registration.teeType,
        registration.endpoint,
        registration.publicKey,
        registration.tlsCertificate,
        registration.paymentAddress,
        registration.pcrHash,
      ])
      return { teeId: keccak256(registration.publicKey), transactionHash }
    },
    setEnabled: (teeId, enabled) => send('setTEEEnabled', [teeId, enabled]),
    heartbeat: (teeId) => send('heartbeat', [teeId]),
    getTee: async (teeId) => (await read('getTEE', [teeId])) as TeeRegistryEntry,
    heartbeatTimeout: async () => (await read('heartbeatTimeout')) as bigint,
    async latestTimestamp() {
      const block = await anvil.request<{ timestamp: Hex }>('eth_getBlockByNumber', [
        'latest',
        false,
      ])
      return BigInt(block.timestamp)
    },
  }
}

/** The revert reason in a node's error answer, e.g. `TEERegistry: unknown TEE`. */
function reasonOf(error: unknown): string {
  const message = error instanceof BaseError ? error.shortMessage : String(error)
  return /execution reverted:?\s*(.*)$/.exec(message)?.[1]?.trim() || message
}
