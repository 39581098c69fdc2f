// Our x402 proxies must be callable with the ABIs the official x402 packages call them with.

import { x402ExactPermit2ProxyAbi, x402UptoPermit2ProxyAbi } from '@opengradient/contracts'
import {
  x402ExactPermit2ProxyABI as officialExactAbi,
  x402UptoPermit2ProxyABI as officialUptoAbi,
} from '@x402/evm'
import {
  type Abi,
  type AbiParameter,
  toEventSelector,
  toFunctionSelector,
  toFunctionSignature,
} from 'viem'
import { describe, expect, test } from 'vitest'

/** An ABI parameter without `internalType`, which names Solidity types and is not on the wire. */
function wireShape(parameter: AbiParameter): unknown {
  const components = 'components' in parameter ? parameter.components : undefined
  return {
    name: parameter.name,
    type: parameter.type,
    ...(components ? { components: components.map(wireShape) } : {}),
  }
}

function surface(abi: Abi) {
  return abi
    .map((item) => {
      if (item.type === 'function')
        return {
          kind: 'function',
          name: item.name,
          selector: toFunctionSelector(item),
          signature: toFunctionSignature(item),
          stateMutability: item.stateMutability,
          inputs: item.inputs.map(wireShape),
          outputs: item.outputs.map(wireShape),
        }
      if (item.type === 'event')
        return { kind: 'event', name: item.name, selector: toEventSelector(item) }
      if (item.type === 'error')
        return { kind: 'error', name: item.name, inputs: item.inputs.map(wireShape) }
      return { kind: item.type }
    })
    .sort((a, b) =>
      `${a.kind} ${'name' in a ? a.name : ''}`.localeCompare(
        `${b.kind} ${'name' in b ? b.name : ''}`,
      ),
    )
}

describe('x402 Permit2 proxies', () => {
  test('default: the upto proxy has the surface @x402/evm calls', () => {
    expect(surface(x402UptoPermit2ProxyAbi)).toEqual(surface(officialUptoAbi as Abi))
  })

  test('default: the exact proxy has the surface @x402/evm calls', () => {
    expect(surface(x402ExactPermit2ProxyAbi)).toEqual(surface(officialExactAbi as Abi))
  })
})
