import { toHex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { devAccounts, devPrivateKeys } from './accounts.js'
import { devMnemonic } from './anvil/anvil.js'

describe('devAccounts', () => {
  test('default', () => {
    expect(devAccounts()[0]?.address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')
  })

  test('behavior: keys derive from the standard test mnemonic', () => {
    devPrivateKeys.forEach((privateKey, addressIndex) => {
      const account = mnemonicToAccount(devMnemonic, { addressIndex })
      expect(toHex(account.getHdKey().privateKey!)).toBe(privateKey)
    })
  })
})
