// Checks a TEE gateway's signed answer (llm.md §D7) with WebCrypto, so it runs in browsers too.
import { type Hex, TeeVerificationError, type TeeVerificationErrorType } from '@opengradient/core'
import { concat, hexToBytes, keccak256, numberToHex, stringToBytes } from 'viem'
import {
  canonicalTeeRequest,
  type TeeEndpoint,
  type TeeOutputTextParameters,
  teeOutputText,
} from './canonical.js'
import { JsonFloat, parseJsonExact } from './pythonJson.js'

/**
 * A TEE's RSA signing key: the DER SubjectPublicKeyInfo as bytes or hex (with or without `0x`,
 * as the registry stores it), or a PEM `PUBLIC KEY` block (as the gateway's `/signing-key` serves it).
 */
export type TeePublicKey = string | Uint8Array

/**
 * The five proof fields of a gateway answer, by their wire names: the response body of a plain
 * call, or the final event of a stream, can be passed as it is.
 */
export type TeeResponseFields = {
  /** Base64 RSA-PSS signature. */
  tee_signature?: unknown
  /** Hex, without `0x`. */
  tee_request_hash?: unknown
  /** Hex, without `0x`. */
  tee_output_hash?: unknown
  /** Unix seconds, an integer. */
  tee_timestamp?: unknown
  /** `0x` + keccak256 of the signing key's DER. */
  tee_id?: unknown
}

export type VerifyTeeResponseParameters = {
  /**
   * The request body that was sent: its exact JSON text (best: `2` and `2.0` hash differently,
   * and only the text keeps them apart), or the object it was serialised from.
   */
  request: string | Readonly<Record<string, unknown>>
  endpoint: TeeEndpoint
  /**
   * The output the TEE signed: the text (the completion text, the assistant text with content
   * blocks joined without separators, or the tool calls as Python's `json.dumps`), or the parts
   * to derive it from (see {@link teeOutputText}).
   */
  output: string | TeeOutputTextParameters
  /** The TEE the request went to. */
  tee: {
    publicKey: TeePublicKey
    /** A pinned tee id the response must also carry (`0x` optional, any case). */
    teeId?: string | undefined
  }
  fields: TeeResponseFields
}

/** What a verified answer proves: these hashes and this timestamp were signed by this key. */
export type TeeProof = {
  /** `0x` + keccak256 of the signing key's DER, lower-case. */
  teeId: Hex
  /** keccak256 of the canonical request, recomputed from the request sent. */
  requestHash: Hex
  /** keccak256 of the output text, recomputed from the output received. */
  outputHash: Hex
  /** keccak256(requestHash ‖ outputHash ‖ uint256(timestamp)): the message the TEE signed. */
  messageHash: Hex
  /** Unix seconds, as signed. */
  timestamp: number
  /** The base64 RSA-PSS signature. */
  signature: string
  /** The signing key as a PEM `PUBLIC KEY` block. */
  signingKeyPem: string
}

export type VerifyTeeResponseReturnType = TeeProof

export type VerifyTeeResponseErrorType = TeeVerificationErrorType

const fieldNames = [
  'tee_signature',
  'tee_request_hash',
  'tee_output_hash',
  'tee_timestamp',
  'tee_id',
] as const

/**
 * Verifies the signature a TEE gateway put on an answer: that `tee_id` is the id of the given
 * key (and the pinned one), that the gateway hashed the request that was sent and the output
 * that was received, and that the RSA-PSS signature (SHA-256, MGF1-SHA-256, salt 32) over
 * `keccak256(requestHash ‖ outputHash ‖ uint256(tee_timestamp))` is the key's.
 *
 * The hashes are recomputed, never taken from the response. Throws a `TeeVerificationError`
 * whose `reason` names the failed check.
 *
 * @example
 * ```ts
 * import { verifyTeeResponse } from '@opengradient/llm'
 *
 * const proof = await verifyTeeResponse({
 *   request: sentBodyText,
 *   endpoint: 'chat',
 *   output: { endpoint: 'chat', finishReason: 'stop', content: reply.message.rawContent },
 *   tee: { publicKey: await (await fetch(`${gatewayUrl}/signing-key`)).text() },
 *   fields: reply.raw as Record<string, unknown>,
 * })
 * proof.teeId // '0x…'
 * ```
 */
export async function verifyTeeResponse(
  parameters: VerifyTeeResponseParameters,
): Promise<VerifyTeeResponseReturnType> {
  const { fields, endpoint } = parameters
  for (const name of fieldNames) {
    const value = fields[name]
    const present =
      name === 'tee_timestamp'
        ? value !== undefined && value !== null && value !== ''
        : typeof value === 'string' && value !== ''
    if (!present) {
      throw new TeeVerificationError(
        `The response is missing a string "${name}", so it cannot be verified.`,
        { reason: 'missing-field' },
      )
    }
  }
  const signature = fields.tee_signature as string
  const timestamp = timestampOf(fields.tee_timestamp)

  const publicKeyDer = publicKeyBytes(parameters.tee.publicKey)
  const teeId = keccak256(publicKeyDer)
  const signedTeeId = normalizeHex(fields.tee_id as string)
  if (signedTeeId !== teeId) {
    throw new TeeVerificationError(
      `The response's tee_id "${fields.tee_id}" is not the id of the TEE's public key ("${teeId}").`,
      { reason: 'tee-id-mismatch', computed: teeId, signed: String(fields.tee_id) },
    )
  }
  if (parameters.tee.teeId !== undefined && normalizeHex(parameters.tee.teeId) !== teeId) {
    throw new TeeVerificationError(
      `The response comes from the TEE "${teeId}", not the pinned "${parameters.tee.teeId}".`,
      { reason: 'tee-id-mismatch', computed: teeId, signed: parameters.tee.teeId },
    )
  }

  const requestHash = keccak256(stringToBytes(canonicalRequestOf(parameters.request, endpoint)))
  const signedRequestHash = normalizeHex(fields.tee_request_hash as string)
  if (signedRequestHash !== requestHash) {
    throw new TeeVerificationError(
      `The request hash does not match: the gateway signed a different request than was sent (computed "${requestHash}", signed "${signedRequestHash}").`,
      { reason: 'request-hash-mismatch', computed: requestHash, signed: signedRequestHash },
    )
  }

  const outputText =
    typeof parameters.output === 'string' ? parameters.output : teeOutputText(parameters.output)
  const outputHash = keccak256(stringToBytes(outputText))
  const signedOutputHash = normalizeHex(fields.tee_output_hash as string)
  if (signedOutputHash !== outputHash) {
    throw new TeeVerificationError(
      `The output hash does not match: the output received is not the one the TEE signed (computed "${outputHash}", signed "${signedOutputHash}").`,
      { reason: 'output-hash-mismatch', computed: outputHash, signed: signedOutputHash },
    )
  }

  // Built from the recomputed hashes: a signature over the response's own claims proves nothing.
  const messageHash = keccak256(
    concat([requestHash, outputHash, numberToHex(timestamp, { size: 32 })]),
  )
  if (!(await rsaPssVerify(publicKeyDer, signature, hexToBytes(messageHash)))) {
    throw new TeeVerificationError('The RSA-PSS signature of the TEE does not verify.', {
      reason: 'bad-signature',
      metaMessages: [`TEE: ${teeId}`, `Message hash: ${messageHash}`],
    })
  }
  return {
    teeId,
    requestHash,
    outputHash,
    messageHash,
    timestamp,
    signature,
    signingKeyPem: toPem(publicKeyDer),
  }
}

function publicKeyBytes(publicKey: TeePublicKey): Uint8Array {
  if (publicKey instanceof Uint8Array) return publicKey
  const text = publicKey.trim()
  const pem = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(text)
  if (pem) return base64ToBytes(pem[1]!)
  const hex = text.replace(/^0x/i, '')
  if (hex.length > 0 && hex.length % 2 === 0 && /^[0-9a-f]+$/i.test(hex)) {
    return hexToBytes(`0x${hex}`)
  }
  throw new TeeVerificationError(
    'The TEE public key is neither a PEM "PUBLIC KEY" block nor hex DER (SubjectPublicKeyInfo).',
    { reason: 'missing-public-key' },
  )
}

function canonicalRequestOf(
  request: VerifyTeeResponseParameters['request'],
  endpoint: TeeEndpoint,
): string {
  try {
    const body = typeof request === 'string' ? parseJsonExact(request) : request
    if (hasNonFiniteNumber(body)) {
      throw new TypeError('The request holds NaN or Infinity, which JSON cannot carry.')
    }
    return canonicalTeeRequest({ endpoint, body: body as Record<string, unknown> })
  } catch (error) {
    throw new TeeVerificationError(
      'The request cannot be verified: its canonical form cannot be rebuilt.',
      { reason: 'unverifiable-request', cause: error },
    )
  }
}

function hasNonFiniteNumber(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value)
  if (value instanceof JsonFloat) return !Number.isFinite(value.value)
  if (Array.isArray(value)) return value.some(hasNonFiniteNumber)
  if (typeof value === 'object' && value !== null) {
    return Object.values(value).some(hasNonFiniteNumber)
  }
  return false
}

function timestampOf(value: unknown): number {
  const timestamp =
    typeof value === 'number' || typeof value === 'bigint'
      ? Number(value)
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : Number.NaN
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TeeVerificationError(
      `The response's "tee_timestamp" ${JSON.stringify(String(value))} is not an integer, so it cannot be verified.`,
      { reason: 'missing-field' },
    )
  }
  return timestamp
}

function normalizeHex(value: string): Hex {
  return `0x${value.trim().replace(/^0x/i, '').toLowerCase()}`
}

async function rsaPssVerify(
  publicKeyDer: Uint8Array,
  signature: string,
  message: Uint8Array,
): Promise<boolean> {
  const subtle = globalThis.crypto?.subtle
  if (!subtle) {
    throw new TeeVerificationError(
      'This runtime has no WebCrypto (globalThis.crypto.subtle) to check the TEE signature.',
      { reason: 'bad-signature' },
    )
  }
  let signatureBytes: Uint8Array<ArrayBuffer>
  try {
    signatureBytes = base64ToBytes(signature)
  } catch {
    return false
  }
  let key: CryptoKey
  try {
    key = await subtle.importKey(
      'spki',
      Uint8Array.from(publicKeyDer),
      { name: 'RSA-PSS', hash: 'SHA-256' },
      false,
      ['verify'],
    )
  } catch (error) {
    throw new TeeVerificationError('The TEE public key is not a usable RSA key.', {
      reason: 'bad-signature',
      cause: error,
    })
  }
  // PSS hashes the 32-byte message hash again with SHA-256, as the on-chain verifier does.
  return subtle.verify(
    { name: 'RSA-PSS', saltLength: 32 },
    key,
    signatureBytes,
    Uint8Array.from(message),
  )
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, ''))
  return Uint8Array.from(binary, (character) => character.charCodeAt(0))
}

function toPem(der: Uint8Array): string {
  let binary = ''
  for (const byte of der) binary += String.fromCharCode(byte)
  const lines = btoa(binary).match(/.{1,64}/g) ?? []
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`
}

/**
 * The id of a TEE key: `0x` + keccak256 of its DER SubjectPublicKeyInfo, as the registry and the
 * gateway's `tee_id` give it.
 *
 * @example
 * ```ts
 * teeIdOf(await (await fetch(`${gatewayUrl}/signing-key`)).text()) // '0x…'
 * ```
 */
export function teeIdOf(publicKey: TeePublicKey): Hex {
  return keccak256(publicKeyBytes(publicKey))
}
