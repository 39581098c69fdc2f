// The LLM gateway as a devnet service: its routes on the front, the `0xF4` stand-in's LLM runner,
// and the devnet's TEE: the same routes over HTTPS, listed in the TEE registry.
import { join } from 'node:path'
import {
  type Address,
  defineDevnet,
  devnetOpgTokenAddress,
  type Hex,
  InvalidInputError,
} from '@opengradient/core'
import { bytesToHex, isAddress, isHex, zeroHash } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { DevnetService, DevnetServiceContext } from '../service.js'
import { type AdminMethod, createAdminRoute } from '../workflows/adminRoute.js'
import { createLlmGateway, type LlmGateway } from './gateway.js'
import { createPaymentGate, type PaymentGate } from './paymentGate.js'
import { createTeeSigner, type TeeSigner } from './tee.js'
import { loadTeeIdentity, type TeeIdentity } from './teeIdentity.js'
import {
  createTeeRegistryAdmin,
  devnetTeePaymentAddress,
  devnetTeePcrHash,
  type TeeRegistryAdmin,
  teeTypes,
} from './teeRegistry.js'
import { createTeeInfoRoute, startTeeServer, type TeeServer } from './teeServer.js'
import { loadTinyLanguageModel, type TinyLanguageModel } from './tinyModel.js'
import type { LlmGatewayConfig } from './types.js'

/** The devnet's TEE as the registry lists it. */
export type DevnetTee = {
  /** The HTTPS base URL, `https://127.0.0.1:<port>`. */
  endpoint: string
  /** `keccak256(publicKey)`, the `tee_id` of every answer. */
  teeId: Hex
  /** DER SubjectPublicKeyInfo of the RSA key that signs the answers. */
  publicKey: Hex
  /** DER certificate the endpoint presents (self-signed; pin it). */
  tlsCertificate: Hex
  /** Where its payments settle. */
  paymentAddress: Address
}

/** The gateway service, with the gateway itself for inspection. */
export type LlmGatewayService = DevnetService & {
  gateway: LlmGateway
  /** The key that signs `tee_signature` (its public part verifies the answers). */
  signer(): Promise<TeeSigner>
  /** The devnet's TEE, once the devnet has started. */
  tee(): DevnetTee | undefined
}

/**
 * The account of the devnet's x402 facilitator: it verifies payments and submits their
 * settlements (and is named in every `upto` witness). Not a dev account, so its nonces never
 * race a user's. A devnet-only key: public knowledge.
 */
export const devnetFacilitatorAccount = privateKeyToAccount(
  '0x9f0e4c7a9d8b7a6c5e4d3c2b1a0f9e8d7c6b5a49382716051f2e3d4c5b6a7980',
)

/** Name of the LLM gateway service; a service of this name given to `startDevnet` replaces it. */
export const llmGatewayServiceName = 'llm-gateway'

/**
 * Creates the devnet's LLM gateway service: `/v1/chat/completions`, `/v1/completions` and
 * `/v1/models` on the devnet's origin, and the answers to on-chain `runLLMCompletion` /
 * `runLLMChat` calls, all from the backends the configuration names. The tiny model is added to
 * the model store and the signing key loaded while the devnet starts.
 *
 * It also runs the devnet's TEE: the same routes plus `/health` and `/signing-key` over HTTPS
 * on 127.0.0.1 (the `teePort` of `startDevnet`), with a self-signed certificate and the signing
 * key kept in `<dataDir>/tee/`, registered at every start in the TEE registry (installed at
 * `teeRegistryAddress`) and kept active by heartbeats. Admin JSON-RPC methods:
 *
 * - `og_setTeeEnabled({ teeId, enabled })`: lists or delists a TEE.
 * - `og_registerTee({ endpoint, publicKey, tlsCertificate?, paymentAddress?, pcrHash?, teeType? })`:
 *   lists another TEE (hex DER key and certificate), e.g. a test server; returns its `teeId`.
 *
 * @example
 * ```ts
 * const devnet = await startDevnet({
 *   llm: { models: { 'openai/gpt-4o-mini': { backend: 'upstream', url: 'https://api.openai.com', apiKey } } },
 * })
 * ```
 */
export function createLlmGatewayService(config: LlmGatewayConfig = {}): LlmGatewayService {
  let context: DevnetServiceContext | undefined
  let tinyModel: Promise<TinyLanguageModel> | undefined
  let signer: Promise<TeeSigner> | undefined
  let identity: TeeIdentity | undefined
  let admin: TeeRegistryAdmin | undefined
  let server: TeeServer | undefined
  let tee: DevnetTee | undefined
  let heartbeatTimer: NodeJS.Timeout | undefined
  let heartbeatRun: Promise<void> | undefined
  let gate: PaymentGate | undefined

  const getSigner = () => {
    signer ??= config.teeSigner ? Promise.resolve(config.teeSigner) : createTeeSigner()
    return signer
  }
  const gateway = createLlmGateway({
    config,
    tinyModel: () => {
      if (!context) return Promise.reject(new Error('The LLM gateway service was not prepared.'))
      tinyModel ??= loadTinyLanguageModel({ store: context.models, engine: context.engine })
      return tinyModel
    },
    signer: getSigner,
  })

  function started(): TeeRegistryAdmin {
    if (!admin) throw new Error('The devnet has not started yet.')
    return admin
  }

  /** Sends a heartbeat when the last one is older than a quarter of the timeout. */
  async function keepAlive(teeId: Hex): Promise<void> {
    const registry = started()
    const [entry, timeout, now] = await Promise.all([
      registry.getTee(teeId),
      registry.heartbeatTimeout(),
      registry.latestTimestamp(),
    ])
    if (now - entry.lastHeartbeatAt > timeout / 4n) await registry.heartbeat(teeId)
  }

  function paymentGate(): PaymentGate {
    if (!gate) throw new InvalidInputError('The devnet TEE takes no payments (payments: false).')
    return gate
  }

  const methods: Record<string, AdminMethod> = {
    async og_llmPaymentSessions() {
      return paymentGate().sessions()
    },
    async og_settleLlmPaymentSessions([parameters]) {
      const ids = (parameters as { ids?: unknown } | undefined)?.ids
      if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => typeof id === 'string'))) {
        throw new InvalidInputError('"ids" must be a list of session ids.')
      }
      return paymentGate().settleSessions(ids as string[] | undefined)
    },
    async og_setTeeEnabled([parameters]) {
      const input = objectParameter(parameters, 'og_setTeeEnabled')
      const teeId = hexField(input, 'teeId', 32)
      if (typeof input.enabled !== 'boolean') {
        throw new InvalidInputError('"enabled" must be true or false.')
      }
      const { transactionHash } = await started().setEnabled(teeId, input.enabled)
      return { teeId, enabled: input.enabled, transactionHash }
    },
    async og_registerTee([parameters]) {
      const input = objectParameter(parameters, 'og_registerTee')
      if (typeof input.endpoint !== 'string') {
        throw new InvalidInputError('"endpoint" must be a string.')
      }
      const paymentAddress = input.paymentAddress ?? devnetTeePaymentAddress
      if (typeof paymentAddress !== 'string' || !isAddress(paymentAddress, { strict: false })) {
        throw new InvalidInputError('"paymentAddress" must be an address.')
      }
      const teeType = input.teeType ?? teeTypes.llmProxy
      if (
        typeof teeType !== 'number' ||
        !Number.isInteger(teeType) ||
        teeType < 0 ||
        teeType > 255
      ) {
        throw new InvalidInputError('"teeType" must be an integer from 0 to 255.')
      }
      const publicKey = hexField(input, 'publicKey')
      if (publicKey === '0x') throw new InvalidInputError('"publicKey" must not be empty.')
      return started().register({
        endpoint: input.endpoint,
        publicKey,
        tlsCertificate:
          input.tlsCertificate === undefined ? '0x' : hexField(input, 'tlsCertificate'),
        paymentAddress: paymentAddress as Address,
        pcrHash: input.pcrHash === undefined ? zeroHash : hexField(input, 'pcrHash', 32),
        teeType,
      })
    },
  }

  return {
    name: llmGatewayServiceName,
    gateway,
    signer: getSigner,
    tee: () => tee,
    routes: [createAdminRoute(methods), gateway.route],
    llm: gateway.runner,
    async prepare(serviceContext) {
      context = serviceContext
      tinyModel = loadTinyLanguageModel({
        store: serviceContext.models,
        engine: serviceContext.engine,
      })
      identity = await loadTeeIdentity({
        dir: join(serviceContext.dataDir, 'tee'),
        signer: config.teeSigner,
      })
      signer = Promise.resolve(identity.signer)
      await tinyModel
    },
    async start(startedContext) {
      if (!identity) throw new Error('The LLM gateway service was not prepared.')
      admin = createTeeRegistryAdmin({ anvil: startedContext.anvil })
      await admin.install()
      if (config.payments !== false) {
        // The facilitator pays the settlements' gas from an account of its own.
        await startedContext.anvil.request('anvil_setBalance', [
          devnetFacilitatorAccount.address,
          '0x56bc75e2d63100000',
        ])
        gate = createPaymentGate({
          config: config.payments,
          chain: defineDevnet({ rpcUrl: startedContext.rpcUrl }),
          rpcUrl: startedContext.rpcUrl,
          asset: devnetOpgTokenAddress,
          payTo: devnetTeePaymentAddress,
          facilitator: devnetFacilitatorAccount,
        })
      }
      server = await startTeeServer({
        port: startedContext.teePort,
        certificatePem: identity.tls.certificatePem,
        privateKeyPem: identity.tls.privateKeyPem,
        routes: [
          createTeeInfoRoute({ signer: identity.signer }),
          gate ? gateway.paidRoute(gate) : gateway.route,
        ],
      })
      const registration = {
        endpoint: server.url,
        publicKey: bytesToHex(identity.signer.publicKeyDer),
        tlsCertificate: bytesToHex(identity.tls.certificateDer),
        paymentAddress: devnetTeePaymentAddress,
        pcrHash: devnetTeePcrHash,
        teeType: teeTypes.llmProxy,
      }
      const { teeId } = await admin.register(registration)
      tee = {
        endpoint: registration.endpoint,
        teeId,
        publicKey: registration.publicKey,
        tlsCertificate: registration.tlsCertificate,
        paymentAddress: registration.paymentAddress,
      }
      heartbeatTimer = setInterval(() => {
        // One check at a time; a failed one (the devnet stopping, anvil busy) waits for the next.
        heartbeatRun ??= keepAlive(teeId)
          .catch(() => {})
          .finally(() => {
            heartbeatRun = undefined
          })
      }, config.teeHeartbeatCheckInterval ?? 30_000)
      heartbeatTimer.unref()
    },
    async stop() {
      gate?.stop()
      clearInterval(heartbeatTimer)
      await heartbeatRun
      await server?.close()
    },
  }
}

type JsonObject = Record<string, unknown>

function objectParameter(value: unknown, method: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(`${method} takes one object parameter.`)
  }
  return value as JsonObject
}

function hexField(input: JsonObject, name: string, size?: number | undefined): Hex {
  const value = input[name]
  if (typeof value !== 'string' || !isHex(value) || value.length % 2 !== 0) {
    throw new InvalidInputError(`"${name}" must be 0x-prefixed hex bytes.`)
  }
  if (size !== undefined && value.length !== 2 + size * 2) {
    throw new InvalidInputError(`"${name}" must be ${size} bytes.`)
  }
  return value.toLowerCase() as Hex
}
