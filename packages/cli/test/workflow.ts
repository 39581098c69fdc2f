// Shared setup of the workflow command tests: a devnet account and a deployed workflow.
import { testDevnet } from '../../../test/devnet.js'
import { og } from './utils.js'

/** Dev account 7: other test files use other accounts on the same devnet. */
export const workflowEnv = {
  OG_PRIVATE_KEY: '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
}
export const workflowAccount = '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955'

/** The global options that point a command at the test devnet. */
export function devnetArgs(): string[] {
  return ['--network', 'devnet', '--rpc-url', testDevnet().rpcUrl]
}

/** The arguments of `og workflow deploy` for the built-in volatility model on ETH/USDT. */
export const volatilityDeployArgs = [
  '--model',
  'QmRhcpDXfYCKsimTmJYrAVM4Bbvck59Zb2onj3MHv9Kw5N',
  '--input-name',
  'open_high_low_close',
  '--base',
  'ETH',
  '--quote',
  'USDT',
  '--candles',
  '10',
  '--candle-minutes',
  '60',
  '--order',
  'ascending',
  '--types',
  'open,high,low,close',
]

/** Deploys a volatility workflow with the CLI and returns its address. */
export async function deployWorkflow(home: string, extra: string[] = []): Promise<`0x${string}`> {
  const result = await og(
    ['workflow', 'deploy', ...devnetArgs(), '--json', ...volatilityDeployArgs, ...extra],
    { home, env: workflowEnv },
  )
  if (result.exitCode !== 0) throw new Error(`deploy failed: ${result.stderr}`)
  return JSON.parse(result.stdout).address
}
