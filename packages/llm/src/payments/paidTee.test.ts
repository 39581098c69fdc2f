// Paid calls end to end: the devnet's TEE (HTTPS, pinned, listed in the registry) asks for
// x402, the client pays with a fresh account, and the devnet's facilitator settles in OPG.
import { createServer, type Server } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { AddressInfo } from 'node:net'
import { opgTokenAbi } from '@opengradient/contracts'
import { devnetOpgTokenAddress, permit2Address } from '@opengradient/core'
import { decodePaymentRequiredHeader } from '@x402/core/http'
import { createPublicClient, createWalletClient, http, parseEther, publicActions } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testDevnet } from '../../../../test/devnet.js'
import { devnetAdmin } from '../../../../test/devnetAdmin.js'
import { createLlmClient } from '../client/createLlmClient.js'
import { createTeeConnection } from '../node/createTeeConnection.js'
import { checkPaymentSetup } from './checkPaymentSetup.js'
import { ensureOpgApproval } from './ensureOpgApproval.js'

type SessionRecord = {
  id: string
  payer: string
  spent: string
  cap: string
  requests: number
  state: string
  transaction?: string
}

const devnet = testDevnet()
const publicClient = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) })
const funder = createWalletClient({
  account: privateKeyToAccount(
    '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  ),
  chain: devnet.chain,
  transport: http(devnet.rpcUrl),
}).extend(publicActions)
const payer = privateKeyToAccount(generatePrivateKey())
const payerWallet = createWalletClient({
  account: payer,
  chain: devnet.chain,
  transport: http(devnet.rpcUrl),
}).extend(publicActions)
const tee = createTeeConnection({ publicClient })
const messages = [{ role: 'user' as const, content: 'Tell me about the river.' }]

const opgBalance = (address: `0x${string}`) =>
  publicClient.readContract({
    address: devnetOpgTokenAddress,
    abi: opgTokenAbi,
    functionName: 'balanceOf',
    args: [address],
  })
const sessionsOf = async (address: string) =>
  (await devnetAdmin<SessionRecord[]>(devnet.rpcUrl, 'og_llmPaymentSessions')).filter(
    (session) => session.payer.toLowerCase() === address.toLowerCase(),
  )

beforeAll(async () => {
  const before = await checkPaymentSetup(publicClient, { account: payer.address })
  expect(before.ready).toBe(false)
  expect(before.issues).toHaveLength(3)

  // Gas and 5 OPG for a fresh payer, from a dev account.
  await funder.waitForTransactionReceipt({
    hash: await funder.sendTransaction({ to: payer.address, value: parseEther('1') }),
  })
  await funder.waitForTransactionReceipt({
    hash: await funder.writeContract({
      address: devnetOpgTokenAddress,
      abi: opgTokenAbi,
      functionName: 'transfer',
      args: [payer.address, parseEther('5')],
    }),
  })
})

afterAll(() => tee.close())

describe('paid calls to the devnet TEE', () => {
  test('default: an unpaid call is answered 402 with an x402 v2 upto offer', async () => {
    const { endpoint, fetch: pinned, paymentAddress } = await tee.current()
    const response = await pinned(`${endpoint}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny', messages }),
    })
    expect(response.status).toBe(402)
    await response.body?.cancel()
    const required = decodePaymentRequiredHeader(response.headers.get('payment-required') ?? '')
    expect(required).toMatchObject({
      x402Version: 2,
      resource: { url: `${endpoint}/v1/chat/completions`, description: 'Chat completion' },
      accepts: [
        {
          scheme: 'upto',
          network: 'eip155:10744',
          asset: devnetOpgTokenAddress,
          amount: '100000000000000000',
          payTo: paymentAddress,
          maxTimeoutSeconds: 3600,
          extra: { name: 'OpenGradient', version: '1', assetTransferMethod: 'permit2' },
        },
      ],
    })
    expect(required.accepts[0]?.extra?.facilitatorAddress).toMatch(/^0x[0-9a-fA-F]{40}$/)
  })

  test('behavior: ensureOpgApproval approves Permit2 once, then is a no-op', async () => {
    const approved = await ensureOpgApproval(payerWallet, {
      minAllowance: '1',
      pollingInterval: 20,
    })
    expect(approved.allowanceBefore).toBe(0n)
    expect(approved.allowanceAfter).toBe(parseEther('2'))
    expect(approved.transactionHash).toMatch(/^0x[0-9a-f]{64}$/)
    const again = await ensureOpgApproval(payerWallet, { minAllowance: '1' })
    expect(again.transactionHash).toBeUndefined()
    const after = await checkPaymentSetup(publicClient, { account: payer.address })
    expect(after).toMatchObject({ ready: true, issues: [], permit2Allowance: parseEther('2') })
    expect(
      await publicClient.readContract({
        address: devnetOpgTokenAddress,
        abi: opgTokenAbi,
        functionName: 'allowance',
        args: [payer.address, permit2Address],
      }),
    ).toBe(parseEther('2'))
  })

  test('behavior: a paid chat and a paid streamed chat settle on chain once, for what they cost', async () => {
    const client = createLlmClient({ tee, account: payer, payment: { network: 'eip155:10744' } })
    const { paymentAddress } = await tee.current()
    const [payerBefore, payToBefore] = await Promise.all([
      opgBalance(payer.address),
      opgBalance(paymentAddress),
    ])

    const reply = await client.chat({ model: 'devnet/tiny', messages, maxTokens: 12 })
    expect(reply.message.content).toBeTruthy()
    const payment = reply.settlement.payment
    expect(payment).toMatchObject({
      scheme: 'upto',
      network: 'eip155:10744',
      asset: devnetOpgTokenAddress,
      amount: '100000000000000000',
      payer: payer.address,
      reusedSession: false,
    })
    expect(payment?.session).toBeTruthy()

    const stream = await client.chat({
      model: 'devnet/tiny',
      messages,
      maxTokens: 12,
      stream: true,
    })
    let text = ''
    let final: (typeof reply)['settlement'] | undefined
    for await (const chunk of stream) {
      text += chunk.delta.content ?? ''
      if (chunk.settlement) final = chunk.settlement
    }
    expect(text).toBeTruthy()
    expect(final?.payment).toMatchObject({ session: payment?.session, reusedSession: true })

    const [session] = await sessionsOf(payer.address)
    expect(session).toMatchObject({ id: payment?.session, requests: 2, state: 'open' })
    const spent = BigInt(session?.spent ?? 0)
    expect(spent).toBeGreaterThan(0n)
    // Nothing moves before settlement.
    expect(await opgBalance(payer.address)).toBe(payerBefore)

    const settled = await devnetAdmin<SessionRecord[]>(
      devnet.rpcUrl,
      'og_settleLlmPaymentSessions',
      {
        ids: [session?.id],
      },
    )
    expect(settled).toMatchObject([{ id: session?.id, state: 'settled' }])
    expect(await opgBalance(payer.address)).toBe(payerBefore - spent)
    expect(await opgBalance(paymentAddress)).toBe(payToBefore + spent)

    // Settling again moves nothing; the next call opens a new session with one new signature.
    await devnetAdmin(devnet.rpcUrl, 'og_settleLlmPaymentSessions', { ids: [session?.id] })
    expect(await opgBalance(payer.address)).toBe(payerBefore - spent)
    const next = await client.chat({ model: 'devnet/tiny', messages, maxTokens: 4 })
    expect(next.settlement.payment).toMatchObject({ reusedSession: false })
    expect(next.settlement.payment?.session).not.toBe(payment?.session)
  })

  test('error: a request over maxPayment is refused before signing', async () => {
    const before = await sessionsOf(payer.address)
    const client = createLlmClient({
      tee,
      account: payer,
      payment: { network: 'eip155:10744', maxPayment: '0.05' },
    })
    await expect(client.chat({ model: 'devnet/tiny', messages })).rejects.toMatchObject({
      name: 'PaymentError',
      reason: 'over-limit',
    })
    expect(await sessionsOf(payer.address)).toHaveLength(before.length)
  })

  describe('a connection dropped after the payment was sent', () => {
    let proxy: Server
    let proxyUrl: string
    let paidRequests = 0
    beforeAll(async () => {
      const target = await tee.current()
      const certificate = Buffer.from(target.tlsCertificate.slice(2), 'hex').toString('base64')
      const ca = `-----BEGIN CERTIFICATE-----\n${certificate.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`
      // Forwards to the TEE and, when the request carried a payment, lets the TEE answer and
      // then cuts the client's connection: the payment reached the server, the answer did not.
      proxy = createServer(async (request, response) => {
        const chunks: Buffer[] = []
        for await (const chunk of request) chunks.push(chunk as Buffer)
        const paid = typeof request.headers['payment-signature'] === 'string'
        if (paid) paidRequests++
        const upstream = httpsRequest(
          `${target.endpoint}${request.url}`,
          {
            method: request.method,
            headers: { ...request.headers, host: new URL(target.endpoint).host },
            ca,
            checkServerIdentity: () => undefined,
          },
          (answer) => {
            if (paid) {
              answer.resume()
              answer.on('end', () => request.socket.destroy())
              return
            }
            response.writeHead(answer.statusCode ?? 502, answer.headers)
            answer.pipe(response)
          },
        )
        upstream.end(Buffer.concat(chunks))
      })
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    })
    afterAll(async () => {
      proxy.closeAllConnections()
      await new Promise((resolve) => proxy.close(resolve))
    })

    test('error: is not retried, so it is paid once', async () => {
      const before = await sessionsOf(payer.address)
      const client = createLlmClient({
        baseUrl: proxyUrl,
        account: payer,
        payment: { network: 'eip155:10744' },
        retryCount: 3,
        retryDelay: 1,
      })
      const error = await client.chat({ model: 'devnet/tiny', messages }).catch((error) => error)
      expect(error).toMatchObject({ name: 'PaymentError', reason: 'sent' })
      expect(paidRequests).toBe(1)
      // The TEE verified the one payment and opened one session for it.
      expect(await sessionsOf(payer.address)).toHaveLength(before.length + 1)
    })
  })
})
