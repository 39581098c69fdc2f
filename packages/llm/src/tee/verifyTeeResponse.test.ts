import { constants, generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import { TeeVerificationError } from '@opengradient/core'
import { bytesToHex, concat, hexToBytes, keccak256, numberToHex, stringToBytes } from 'viem'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  teeIdOf,
  type VerifyTeeResponseParameters,
  verifyTeeResponse,
} from './verifyTeeResponse.js'

// llm.md §D6: the request exactly as a client sends it (temperature the integer 0).
const chatRequest =
  '{"model":"claude-haiku-4-5","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Héllo 😀"}],"temperature":0,"max_tokens":100}'
const chatRequestHash = '2f568cc313850438d5e2b1dc9b18715f0cfd9992ffc774239252ffb098ec8f3c'
const outputHash = '3e92a13b68d1868e828788f049395ed44b701955777c5f51f0b3559bb05dbaf8'
const timestamp = 1760000000
const messageHash = '0x90ed6601e5bae33cbb92725846b0f204beb7b3a496ba9424fb89b82e9fa00a47'

let privateKey: KeyObject
let publicKeyDer: Uint8Array
let publicKeyPem: string
let teeId: `0x${string}`

beforeAll(() => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 })
  privateKey = pair.privateKey
  publicKeyDer = new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' }))
  publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string
  teeId = keccak256(publicKeyDer)
})

/** Signs as a TEE gateway does (llm.md §D1). */
function signMessage(hash: `0x${string}`, key = privateKey): string {
  return sign('sha256', hexToBytes(hash), {
    key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  }).toString('base64')
}

/** The five fields a gateway returns for a request hash, output hash and timestamp. */
function fieldsFor(requestHash: string, output: string, at = timestamp) {
  const signedOutputHash = keccak256(stringToBytes(output))
  const hash = keccak256(
    concat([`0x${requestHash}`, signedOutputHash, numberToHex(at, { size: 32 })]),
  )
  return {
    tee_signature: signMessage(hash),
    tee_request_hash: requestHash,
    tee_output_hash: signedOutputHash.slice(2),
    tee_timestamp: at,
    tee_id: teeId,
  }
}

function chatParameters(
  overrides: Partial<VerifyTeeResponseParameters> = {},
): VerifyTeeResponseParameters {
  return {
    request: chatRequest,
    endpoint: 'chat',
    output: 'Hi there',
    tee: { publicKey: publicKeyPem },
    fields: fieldsFor(chatRequestHash, 'Hi there'),
    ...overrides,
  }
}

async function failure(parameters: VerifyTeeResponseParameters): Promise<TeeVerificationError> {
  const error = await verifyTeeResponse(parameters).then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(error).toBeInstanceOf(TeeVerificationError)
  return error as TeeVerificationError
}

describe('verifyTeeResponse', () => {
  test('default', async () => {
    const fields = fieldsFor(chatRequestHash, 'Hi there')
    const proof = await verifyTeeResponse(chatParameters({ fields }))
    expect(proof).toEqual({
      teeId,
      requestHash: `0x${chatRequestHash}`,
      outputHash: `0x${outputHash}`,
      messageHash,
      timestamp,
      signature: fields.tee_signature,
      signingKeyPem: publicKeyPem,
    })
  })

  test('behavior: the D6 hashes and message hash, and the signature over them', async () => {
    expect(fieldsFor(chatRequestHash, 'Hi there').tee_output_hash).toBe(outputHash)
    // The signature is made over the spec's message hash, not over anything this module computes.
    const proof = await verifyTeeResponse(
      chatParameters({
        fields: {
          tee_signature: signMessage(messageHash),
          tee_request_hash: chatRequestHash,
          tee_output_hash: outputHash,
          tee_timestamp: timestamp,
          tee_id: teeId.toUpperCase().replace('0X', ''),
        },
      }),
    )
    expect(proof.messageHash).toBe(messageHash)
  })

  test('behavior: tool-call output and a completion (D6 vectors 4 and 5)', async () => {
    const toolCalls = [
      {
        id: 'call_1',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city": "Paris"}' },
      },
    ]
    const toolOutputText =
      '[{"function": {"arguments": "{\\"city\\": \\"Paris\\"}", "name": "get_weather"}, "id": "call_1", "type": "function"}]'
    const toolProof = await verifyTeeResponse(
      chatParameters({
        output: { endpoint: 'chat', finishReason: 'tool_calls', content: null, toolCalls },
        fields: fieldsFor(chatRequestHash, toolOutputText),
      }),
    )
    expect(toolProof.outputHash).toBe(
      '0x1f0f20185d50442efcef1911793ef7e5e09834db7c50217a15c779df0db9b122',
    )

    const completionProof = await verifyTeeResponse({
      request: { model: 'gpt-5', prompt: 'Say hi', max_tokens: 50 },
      endpoint: 'completion',
      output: { endpoint: 'completion', text: 'Hello' },
      tee: { publicKey: publicKeyDer },
      fields: fieldsFor(
        '26b600192cf0ab7dae2b172b4dddcb90731e68977135ad6be0263c171c52fcec',
        'Hello',
      ),
    })
    expect(completionProof.requestHash).toBe(
      '0x26b600192cf0ab7dae2b172b4dddcb90731e68977135ad6be0263c171c52fcec',
    )
  })

  test('args: tee.publicKey as PEM, bytes, hex with and without 0x; a pinned teeId', async () => {
    const hex = bytesToHex(publicKeyDer)
    for (const publicKey of [publicKeyPem, publicKeyDer, hex, hex.slice(2).toUpperCase()]) {
      const proof = await verifyTeeResponse(chatParameters({ tee: { publicKey, teeId } }))
      expect(proof.teeId).toBe(teeId)
    }
    expect(teeIdOf(publicKeyPem)).toBe(teeId)
  })

  test('args: tee_timestamp as a decimal string', async () => {
    const fields = { ...fieldsFor(chatRequestHash, 'Hi there'), tee_timestamp: String(timestamp) }
    expect((await verifyTeeResponse(chatParameters({ fields }))).timestamp).toBe(timestamp)
  })

  test('error: a flipped signature byte', async () => {
    const fields = fieldsFor(chatRequestHash, 'Hi there')
    const signature = Buffer.from(fields.tee_signature, 'base64')
    signature[17]! ^= 0x01
    const error = await failure(
      chatParameters({ fields: { ...fields, tee_signature: signature.toString('base64') } }),
    )
    expect(error.reason).toBe('bad-signature')
    expect(error.shortMessage).toMatchInlineSnapshot(
      `"The RSA-PSS signature of the TEE does not verify."`,
    )
  })

  test('error: another timestamp than the signed one', async () => {
    const fields = { ...fieldsFor(chatRequestHash, 'Hi there'), tee_timestamp: timestamp + 1 }
    expect((await failure(chatParameters({ fields }))).reason).toBe('bad-signature')
  })

  test('error: a signature by another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    const fields = fieldsFor(chatRequestHash, 'Hi there')
    const error = await failure(
      chatParameters({ fields: { ...fields, tee_signature: signMessage(messageHash, other) } }),
    )
    expect(error.reason).toBe('bad-signature')
  })

  test('error: another output', async () => {
    const error = await failure(chatParameters({ output: 'Hi there!' }))
    expect(error.reason).toBe('output-hash-mismatch')
    expect(error.signed).toBe(`0x${outputHash}`)
    expect(error.shortMessage.replace(/0x[0-9a-f]{64}/g, '0x…')).toMatchInlineSnapshot(
      `"The output hash does not match: the output received is not the one the TEE signed (computed "0x…", signed "0x…")."`,
    )
  })

  test('error: another request (0.0 and 0 are the same temperature, 2.0 and 2 are not)', async () => {
    const floatTemperature = chatRequest.replace('"temperature":0', '"temperature":0.0')
    expect((await verifyTeeResponse(chatParameters({ request: floatTemperature }))).teeId).toBe(
      teeId,
    )
    const error = await failure(
      chatParameters({ request: chatRequest.replace('"max_tokens":100', '"max_tokens":100.0') }),
    )
    expect(error.reason).toBe('request-hash-mismatch')
    expect(error.signed).toBe(`0x${chatRequestHash}`)
    expect(error.shortMessage.replace(/0x[0-9a-f]{64}/g, '0x…')).toMatchInlineSnapshot(
      `"The request hash does not match: the gateway signed a different request than was sent (computed "0x…", signed "0x…")."`,
    )
  })

  test('error: a tee_id that is not the key, or not the pinned one', async () => {
    const other = `0x${'ab'.repeat(32)}`
    const fields = { ...fieldsFor(chatRequestHash, 'Hi there'), tee_id: other }
    const error = await failure(chatParameters({ fields }))
    expect(error.reason).toBe('tee-id-mismatch')
    expect(error.shortMessage.replace(teeId, '0x<key id>')).toMatchInlineSnapshot(
      `"The response's tee_id "0xabababababababababababababababababababababababababababababababab" is not the id of the TEE's public key ("0x<key id>")."`,
    )
    const pinned = await failure(chatParameters({ tee: { publicKey: publicKeyPem, teeId: other } }))
    expect(pinned.reason).toBe('tee-id-mismatch')
  })

  test('error: a missing field', async () => {
    const { tee_request_hash: _, ...fields } = fieldsFor(chatRequestHash, 'Hi there')
    const error = await failure(chatParameters({ fields }))
    expect(error.reason).toBe('missing-field')
    expect(error.shortMessage).toMatchInlineSnapshot(
      `"The response is missing a string "tee_request_hash", so it cannot be verified."`,
    )
    const badTimestamp = await failure(
      chatParameters({
        fields: { ...fields, tee_request_hash: chatRequestHash, tee_timestamp: 1.5 },
      }),
    )
    expect(badTimestamp.reason).toBe('missing-field')
  })

  test('error: NaN, Infinity, text that is not JSON, an unknown role', async () => {
    const requests = [
      { model: 'gpt-5', prompt: 'Say hi', temperature: Number.NaN },
      { model: 'gpt-5', messages: [], tools: [{ weight: Number.POSITIVE_INFINITY }] },
      '{"model": "gpt-5", "temperature": NaN}',
      '{"model": "gpt-5", "messages": [{"role": "robot", "content": "hi"}]}',
    ]
    for (const request of requests) {
      const error = await failure(chatParameters({ request }))
      expect(error.reason).toBe('unverifiable-request')
    }
    const error = await failure(chatParameters({ request: requests[0]! }))
    expect(error.shortMessage).toMatchInlineSnapshot(
      `"The request cannot be verified: its canonical form cannot be rebuilt."`,
    )
  })

  test('error: a key that is neither PEM nor hex', async () => {
    const error = await failure(chatParameters({ tee: { publicKey: 'not a key' } }))
    expect(error.reason).toBe('missing-public-key')
  })
})
