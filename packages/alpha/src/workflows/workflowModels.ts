import type { Address } from '@opengradient/core'

/** The short names of the pre-deployed workflows, as `og forecast` takes them. */
export type WorkflowModelName =
  | 'eth-volatility'
  | 'btc-1h'
  | 'eth-1h'
  | 'sol-1h'
  | 'sui-1h'
  | 'sui-30m'
  | 'sui-6h'

/** A pre-deployed workflow and the output tensor its reader reads. */
export type WorkflowModel = {
  address: Address
  /** The number tensor holding the single forecast value. */
  outputName: string
  description: string
}

/**
 * The workflows OpenGradient keeps running on the Alpha testnet (reference
 * `workflow_models/constants.py`, 0.4.8 to 1.1.3), by short name. Addresses drift between
 * deployments, so every reader takes an `address` override; the devnet installs look-alikes at
 * these addresses.
 *
 * @example
 * ```ts
 * import { workflowModels } from '@opengradient/alpha'
 *
 * workflowModels['eth-volatility'].address // '0xD5629A5b95dde11e4B5772B5Ad8a13B933e33845'
 * const mine = { ...workflowModels, 'eth-volatility': { ...workflowModels['eth-volatility'], address: myAddress } }
 * ```
 */
export const workflowModels: Readonly<Record<WorkflowModelName, WorkflowModel>> = {
  'eth-volatility': {
    address: '0xD5629A5b95dde11e4B5772B5Ad8a13B933e33845',
    outputName: 'Y',
    description: 'ETH/USDT one-hour volatility forecast',
  },
  'btc-1h': {
    address: '0xb4146E095c2CD2a7aA497EdfB513F1cB868Dcc3D',
    outputName: 'regression_output',
    description: 'BTC one-hour price forecast',
  },
  'eth-1h': {
    address: '0x58826c6dc9A608238d9d57a65bDd50EcaE27FE99',
    outputName: 'regression_output',
    description: 'ETH one-hour price forecast',
  },
  'sol-1h': {
    address: '0xaE12EC7314e91A612CF4Fa4DC07dC02cfCc4dF95',
    outputName: 'regression_output',
    description: 'SOL one-hour price forecast',
  },
  'sui-1h': {
    address: '0x90FE6434C46838c96E9ACb8d394C0fdfe38C6182',
    outputName: 'regression_output',
    description: 'SUI one-hour price forecast',
  },
  'sui-30m': {
    address: '0xD85BA71f5701dc4C5BDf9780189Db49C6F3708D2',
    outputName: 'destandardized_prediction',
    description: 'SUI/USDT 30-minute price forecast',
  },
  'sui-6h': {
    address: '0x3C2E4DbD653Bd30F1333d456480c1b7aB122e946',
    outputName: 'destandardized_prediction',
    description: 'SUI/USDT six-hour price forecast',
  },
}

/** The names of {@link workflowModels}, in table order. */
export const workflowModelNames = Object.keys(workflowModels) as WorkflowModelName[]
