// Strict mode of the client: which key checks an answer, and verifying what the actions parsed.
import { TeeVerificationError } from '@opengradient/core'
import type { LlmClient } from '../client/createLlmClient.js'
import type { SendGatewayRequestReturnType } from '../http/request.js'
import type { TeeEndpoint, TeeOutputTextParameters } from './canonical.js'
import {
  type TeeProof,
  type TeePublicKey,
  type TeeResponseFields,
  verifyTeeResponse,
} from './verifyTeeResponse.js'

type VerificationKey = { publicKey: TeePublicKey; teeId?: string | undefined }

const missingKeyMessage =
  'The answer cannot be verified: no public key of the TEE is known. Pass "teePublicKey" to createLlmClient (the PEM from the gateway\'s /signing-key, or the hex DER from the TEE registry), or connect through the TEE registry with "tee".'

/**
 * Whether a call verifies: its own `verify`, else the client's. Throws before anything is sent
 * when verification is on and no key could ever be found, so no unverifiable call is paid for.
 *
 * @example
 * ```ts
 * const verify = shouldVerify(client, parameters.verify)
 * ```
 */
export function shouldVerify(client: LlmClient, verify: boolean | undefined): boolean {
  const enabled = verify ?? client.verify
  if (enabled && client.teePublicKey === undefined && client.tee === undefined) {
    throw new TeeVerificationError(missingKeyMessage, { reason: 'missing-public-key' })
  }
  return enabled
}

/**
 * Verifies a gateway answer with the key of the TEE the request went to (resolved from the
 * registry) or, for a fixed gateway, the client's `teePublicKey`.
 *
 * @example
 * ```ts
 * const proof = await verifyReply(client, { request, body, endpoint: 'completion', output: { endpoint: 'completion', text }, fields: json })
 * ```
 */
export async function verifyReply(
  client: LlmClient,
  parameters: {
    request: SendGatewayRequestReturnType
    /** The JSON body that was sent. */
    body: Record<string, unknown>
    endpoint: TeeEndpoint
    output: TeeOutputTextParameters
    fields: TeeResponseFields
  },
): Promise<TeeProof> {
  return verifyTeeResponse({
    // The exact text the request layer sent: it serialises the body with JSON.stringify.
    request: JSON.stringify(parameters.body),
    endpoint: parameters.endpoint,
    output: parameters.output,
    tee: keyOf(client, parameters.request),
    fields: parameters.fields,
  })
}

function keyOf(client: LlmClient, request: SendGatewayRequestReturnType): VerificationKey {
  // The registry's key of the TEE that answered: it is the one that must have signed.
  if (request.tee) return { publicKey: request.tee.publicKey, teeId: request.tee.teeId }
  if (client.teePublicKey !== undefined) return { publicKey: client.teePublicKey }
  throw new TeeVerificationError(missingKeyMessage, { reason: 'missing-public-key' })
}
