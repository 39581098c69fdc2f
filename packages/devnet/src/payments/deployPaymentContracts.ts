// The contracts x402 payments need on the devnet chain: OPG, Permit2, the x402 Permit2 proxies
// and Multicall3 (the facilitator diagnoses refused payments with it).

import {
  opgTokenAbi,
  opgTokenBytecode,
  permit2DeployedBytecode,
  x402ExactPermit2ProxyDeployedBytecode,
  x402UptoPermit2ProxyDeployedBytecode,
} from '@opengradient/contracts'
import { multicall3DeployedBytecode } from '@opengradient/contracts/devnet'
import {
  type Address,
  BaseError,
  devnetOpgTokenAddress,
  type Hex,
  permit2Address,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyAddress,
} from '@opengradient/core'
import { encodeAbiParameters, encodeFunctionData, getAddress, numberToHex } from 'viem'
import type { JsonRpcClient } from '../rpc/jsonRpc.js'

/**
 * The account that deploys and owns the devnet's OPG token (the only one allowed to mint). It
 * has no private key: the devnet impersonates it on anvil. Its first transaction creates the
 * token, which is what makes {@link devnetOpgTokenAddress} fixed.
 */
export const devnetDeployerAddress: Address = '0x8F1006d7FdA43aa745C8D34a5Ad11A3aDB52b92b'

/** Where Multicall3 lives on most EVM chains, and on the devnet. */
export const multicall3Address: Address = '0xcA11bde05977b3631167028862bE2a173976CA11'

/** OPG each dev account receives when the token is deployed: 10,000 OPG. */
export const devnetOpgPerAccount = 10_000n * 10n ** 18n

/** Parameters of {@link deployPaymentContracts}. */
export type DeployPaymentContractsParameters = {
  /** JSON-RPC client of anvil itself (impersonation is an anvil method, not the front's). */
  anvil: JsonRpcClient
  /** Accounts that receive OPG when the token is deployed. */
  accounts: readonly Address[]
  /**
   * OPG (base units, 18 decimals) minted to each of `accounts` at deployment.
   * @default 10_000n * 10n ** 18n ({@link devnetOpgPerAccount})
   */
  amount?: bigint | undefined
}

/** Return type of {@link deployPaymentContracts}: the addresses of the payment contracts. */
export type DeployPaymentContractsReturnType = {
  opgToken: Address
  permit2: Address
  x402UptoPermit2Proxy: Address
  x402ExactPermit2Proxy: Address
  multicall3: Address
  /** True when this call deployed OPG (the chain's first start), false when it was there. */
  deployedOpgToken: boolean
}

/**
 * Installs Permit2, the x402 `upto` and `exact` Permit2 proxies and Multicall3 at their canonical
 * addresses, and deploys the OPG token at {@link devnetOpgTokenAddress} with OPG for each of
 * `accounts`, unless the token is already there (a restart with kept state).
 *
 * Permit2, the proxies and Multicall3 keep no constructor state, so their runtime code is a
 * complete deployment. OPG has constructor-set immutables and an owner, so it is deployed by a
 * real transaction from {@link devnetDeployerAddress}.
 *
 * @example
 * ```ts
 * const anvil = await startAnvil()
 * const addresses = await deployPaymentContracts({
 *   anvil: anvil.rpc,
 *   accounts: devAccounts().map((account) => account.address),
 * })
 * addresses.opgToken // 0xB3797ECD911B02969bE20d92d45dD7F0Dd113AeE
 * ```
 */
export async function deployPaymentContracts(
  parameters: DeployPaymentContractsParameters,
): Promise<DeployPaymentContractsReturnType> {
  const { anvil, accounts, amount = devnetOpgPerAccount } = parameters
  const predeploys: [Address, Hex][] = [
    [permit2Address, permit2DeployedBytecode],
    [x402UptoPermit2ProxyAddress, x402UptoPermit2ProxyDeployedBytecode],
    [x402ExactPermit2ProxyAddress, x402ExactPermit2ProxyDeployedBytecode],
    [multicall3Address, multicall3DeployedBytecode],
  ]
  for (const [address, code] of predeploys) await anvil.request('anvil_setCode', [address, code])

  const addresses = {
    opgToken: devnetOpgTokenAddress,
    permit2: permit2Address,
    x402UptoPermit2Proxy: x402UptoPermit2ProxyAddress,
    x402ExactPermit2Proxy: x402ExactPermit2ProxyAddress,
    multicall3: multicall3Address,
  }
  const code = await anvil.request<Hex>('eth_getCode', [devnetOpgTokenAddress, 'latest'])
  if (code !== '0x') return { ...addresses, deployedOpgToken: false }

  const nonce = await anvil.request<Hex>('eth_getTransactionCount', [
    devnetDeployerAddress,
    'latest',
  ])
  if (BigInt(nonce) !== 0n) {
    throw new BaseError('The devnet chain state has no OPG token, but its deployer was used.', {
      metaMessages: [
        `Deployer: ${devnetDeployerAddress} (nonce ${BigInt(nonce)})`,
        'Start the devnet with a fresh data directory.',
      ],
    })
  }
  await anvil.request('anvil_setBalance', [devnetDeployerAddress, numberToHex(10n ** 21n)])
  await anvil.request('anvil_impersonateAccount', [devnetDeployerAddress])
  try {
    const deployment = await sendAndWait(anvil, {
      from: devnetDeployerAddress,
      data: `${opgTokenBytecode}${encodeAbiParameters([{ type: 'address' }], [devnetDeployerAddress]).slice(2)}`,
    })
    if (
      !deployment.contractAddress ||
      getAddress(deployment.contractAddress) !== devnetOpgTokenAddress
    ) {
      throw new BaseError('The devnet OPG token was deployed at an unexpected address.', {
        metaMessages: [
          `Expected: ${devnetOpgTokenAddress}`,
          `Deployed: ${deployment.contractAddress}`,
        ],
      })
    }
    for (const account of accounts) {
      await sendAndWait(anvil, {
        from: devnetDeployerAddress,
        to: devnetOpgTokenAddress,
        data: encodeFunctionData({
          abi: opgTokenAbi,
          functionName: 'mint',
          args: [account, amount],
        }),
      })
    }
  } finally {
    await anvil.request('anvil_stopImpersonatingAccount', [devnetDeployerAddress])
  }
  return { ...addresses, deployedOpgToken: true }
}

type Receipt = { status: Hex; contractAddress: Address | null; transactionHash: Hex }

/** Sends through anvil (automine) and waits for the receipt, which must be a success. */
async function sendAndWait(
  anvil: JsonRpcClient,
  transaction: { from: Address; to?: Address; data: Hex },
): Promise<Receipt> {
  const hash = await anvil.request<Hex>('eth_sendTransaction', [transaction])
  for (let attempt = 0; ; attempt++) {
    const receipt = await anvil.request<Receipt | null>('eth_getTransactionReceipt', [hash])
    if (receipt) {
      if (receipt.status !== '0x1') {
        throw new BaseError('A devnet payment contract transaction reverted.', {
          metaMessages: [`Transaction: ${hash}`],
        })
      }
      return receipt
    }
    if (attempt >= 200) {
      throw new BaseError('A devnet payment contract transaction was not mined.', {
        metaMessages: [`Transaction: ${hash}`],
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
