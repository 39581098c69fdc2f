import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { opgTokenAbi } from '@opengradient/contracts'
import {
  devnetOpgTokenAddress,
  permit2Address,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyAddress,
} from '@opengradient/core'
import { decodeFunctionResult, encodeFunctionData, type Hex, numberToHex } from 'viem'
import { afterAll, expect, test } from 'vitest'
import { devAccounts } from '../accounts.js'
import { type AnvilInstance, startAnvil } from '../anvil/anvil.js'
import {
  deployPaymentContracts,
  devnetDeployerAddress,
  devnetOpgPerAccount,
  multicall3Address,
} from './deployPaymentContracts.js'

const dirs: string[] = []
const anvils: AnvilInstance[] = []

afterAll(async () => {
  for (const anvil of anvils) await anvil.stop()
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

async function freshAnvil(stateFile?: string): Promise<AnvilInstance> {
  const anvil = await startAnvil({ stateFile })
  anvils.push(anvil)
  return anvil
}

async function read(
  anvil: AnvilInstance,
  functionName: 'totalSupply' | 'owner' | 'balanceOf',
  args: readonly unknown[] = [],
) {
  const data = encodeFunctionData({ abi: opgTokenAbi, functionName, args } as never)
  const result = await anvil.rpc.request<Hex>('eth_call', [
    { to: devnetOpgTokenAddress, data },
    'latest',
  ])
  return decodeFunctionResult({ abi: opgTokenAbi, functionName, data: result } as never)
}

test('default: installs the payment contracts and deploys OPG at its fixed address', async () => {
  const anvil = await freshAnvil()
  const accounts = devAccounts().map((account) => account.address)
  const addresses = await deployPaymentContracts({ anvil: anvil.rpc, accounts })
  expect(addresses).toEqual({
    opgToken: devnetOpgTokenAddress,
    permit2: permit2Address,
    x402UptoPermit2Proxy: x402UptoPermit2ProxyAddress,
    x402ExactPermit2Proxy: x402ExactPermit2ProxyAddress,
    multicall3: multicall3Address,
    deployedOpgToken: true,
  })
  for (const address of [
    devnetOpgTokenAddress,
    permit2Address,
    x402UptoPermit2ProxyAddress,
    x402ExactPermit2ProxyAddress,
    multicall3Address,
  ])
    expect(await anvil.rpc.request('eth_getCode', [address, 'latest'])).not.toBe('0x')
  expect(await read(anvil, 'owner')).toBe(devnetDeployerAddress)
  expect(await read(anvil, 'totalSupply')).toBe(devnetOpgPerAccount * 10n)
  for (const account of accounts)
    expect(await read(anvil, 'balanceOf', [account])).toBe(devnetOpgPerAccount)
  // Impersonation ended with the deployment.
  await expect(
    anvil.rpc.request('eth_sendTransaction', [{ from: devnetDeployerAddress, to: accounts[0] }]),
  ).rejects.toThrow()
})

test('behavior: a restart with kept state leaves the token and its balances alone', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'og-payments-'))
  dirs.push(dir)
  const stateFile = join(dir, 'state.json')
  const [first] = devAccounts(1)
  const anvil = await freshAnvil(stateFile)
  await deployPaymentContracts({ anvil: anvil.rpc, accounts: [first!.address], amount: 5n })
  await anvil.stop()

  const restarted = await freshAnvil(stateFile)
  const again = await deployPaymentContracts({
    anvil: restarted.rpc,
    accounts: [first!.address],
    amount: 5n,
  })
  expect(again.deployedOpgToken).toBe(false)
  expect(await read(restarted, 'totalSupply')).toBe(5n)
  expect(await read(restarted, 'balanceOf', [first!.address])).toBe(5n)
})

test('error: a chain whose deployer was used without deploying OPG is refused', async () => {
  const anvil = await freshAnvil()
  await anvil.rpc.request('anvil_setNonce', [devnetDeployerAddress, numberToHex(1)])
  await expect(
    deployPaymentContracts({ anvil: anvil.rpc, accounts: [] }),
  ).rejects.toThrowErrorMatchingInlineSnapshot(`
    [BaseError: The devnet chain state has no OPG token, but its deployer was used.

    Deployer: 0x8F1006d7FdA43aa745C8D34a5Ad11A3aDB52b92b (nonce 1)
    Start the devnet with a fresh data directory.
    Version: @opengradient/core@0.1.0]
  `)
})
