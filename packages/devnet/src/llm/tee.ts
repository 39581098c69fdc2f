// TEE-style proof fields of gateway answers (llm.md §D): canonical request and output hashes,
// an integer timestamp, and an RSA-PSS signature over their message hash.
import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  sign,
} from 'node:crypto'
import type { Hex } from '@opengradient/core'
import { canonicalTeeRequest, type TeeEndpoint, teeOutputText } from '@opengradient/llm'
import { concat, hexToBytes, keccak256, numberToHex, stringToBytes } from 'viem'

/**
 * Signs the message hash of each answer. Replace it (`LlmGatewayConfig.teeSigner`) to sign with
 * a key registered in a TEE registry.
 */
export type TeeSigner = {
  /** `0x` + keccak256 of the DER (SPKI) public key. */
  teeId: Hex
  /** The DER SubjectPublicKeyInfo of the signing key. */
  publicKeyDer: Uint8Array
  /** Returns the base64 signature of a 32-byte message hash. */
  sign(messageHash: Uint8Array): Promise<string> | string
}

/** Parameters of {@link createTeeSigner}. */
export type CreateTeeSignerParameters = {
  /**
   * The RSA private key to sign with (a `KeyObject`, or PEM): a TEE keeps its key, and so its
   * `tee_id`, across restarts.
   * @default a new RSA-2048 key (exponent 65537)
   */
  privateKey?: KeyObject | string | undefined
}

/**
 * Creates a signer that signs as the gateway does: RSA-PSS, SHA-256, MGF1-SHA-256, salt length
 * 32, over the 32-byte message hash. Without a key it generates an RSA-2048 one, as the gateway
 * does at start-up.
 *
 * @example
 * ```ts
 * const signer = await createTeeSigner()
 * signer.teeId // '0x…'
 * const again = await createTeeSigner({ privateKey: pem }) // the same key, the same teeId
 * ```
 */
export async function createTeeSigner(
  parameters: CreateTeeSignerParameters = {},
): Promise<TeeSigner> {
  const privateKey =
    typeof parameters.privateKey === 'string'
      ? createPrivateKey(parameters.privateKey)
      : (parameters.privateKey ??
        (await new Promise<KeyObject>((resolve, reject) =>
          generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 65537 }, (error, _, key) =>
            error ? reject(error) : resolve(key),
          ),
        )))
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError('A TEE signing key must be an RSA private key.')
  }
  const publicKeyDer = new Uint8Array(
    createPublicKey(privateKey).export({ type: 'spki', format: 'der' }),
  )
  return {
    teeId: keccak256(publicKeyDer),
    publicKeyDer,
    sign: (messageHash) =>
      sign('sha256', messageHash, {
        key: privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      }).toString('base64'),
  }
}

/** The five `tee_*` fields of an answer. */
export type TeeFields = {
  tee_signature: string
  tee_request_hash: string
  tee_output_hash: string
  tee_timestamp: number
  tee_id: Hex
}

/**
 * Computes the proof fields of an answer: `requestHash = keccak256(canonical request)`,
 * `outputHash = keccak256(output text)`, `msgHash = keccak256(requestHash ‖ outputHash ‖
 * uint256(timestamp))`, signed by `signer`. Hashes are hex without `0x`, as the gateway sends them.
 *
 * @example
 * ```ts
 * const fields = await teeFields({ signer, endpoint: 'chat', body: requestText, output: { endpoint: 'chat', finishReason: 'stop', content: 'Hi' } })
 * ```
 */
export async function teeFields(parameters: {
  signer: TeeSigner
  endpoint: TeeEndpoint
  /** The request body as received (JSON text). */
  body: string
  output: Parameters<typeof teeOutputText>[0]
  /** @default now */
  timestamp?: number | undefined
}): Promise<TeeFields> {
  const requestHash = keccak256(
    stringToBytes(canonicalTeeRequest({ endpoint: parameters.endpoint, body: parameters.body })),
  )
  const outputHash = keccak256(stringToBytes(teeOutputText(parameters.output)))
  const timestamp = parameters.timestamp ?? Math.floor(Date.now() / 1000)
  const messageHash = keccak256(
    concat([requestHash, outputHash, numberToHex(timestamp, { size: 32 })]),
  )
  return {
    tee_signature: await parameters.signer.sign(hexToBytes(messageHash)),
    tee_request_hash: requestHash.slice(2),
    tee_output_hash: outputHash.slice(2),
    tee_timestamp: timestamp,
    tee_id: parameters.signer.teeId,
  }
}
