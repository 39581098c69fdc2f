// Self-signed X.509 certificates for the devnet's TEE endpoint, written as DER by hand so the
// devnet needs no OpenSSL binary and no certificate library.
import {
  createHash,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto'
import { isIPv4, isIPv6 } from 'node:net'

/** Parameters of {@link createSelfSignedCertificate}. */
export type CreateSelfSignedCertificateParameters = {
  /** The subject's (and issuer's) common name. @default 'localhost' */
  commonName?: string | undefined
  /** IPv4 or IPv6 addresses the certificate names. @default ['127.0.0.1'] */
  ipAddresses?: readonly string[] | undefined
  /** Host names the certificate names. @default ['localhost'] */
  dnsNames?: readonly string[] | undefined
  /** Days the certificate stays valid from now. @default 365 */
  validDays?: number | undefined
  /**
   * The key the certificate is issued for and signed with (RSA). @default a new RSA-2048 key
   */
  privateKey?: KeyObject | undefined
}

/** Return type of {@link createSelfSignedCertificate}. */
export type CreateSelfSignedCertificateReturnType = {
  /** The certificate as PEM (`-----BEGIN CERTIFICATE-----`). */
  certificatePem: string
  /** The certificate's DER bytes: what a TEE registry stores and clients pin. */
  certificateDer: Uint8Array
  /** The private key as PKCS#8 PEM, for a TLS server's `key`. */
  privateKeyPem: string
}

/**
 * Creates a self-signed X.509 v3 certificate (sha256WithRSAEncryption) for a local TLS server:
 * subject and issuer `CN=<commonName>`, a random 128-bit serial, a subjectAltName with the given
 * IP addresses and host names, and CA basic constraints so the certificate can be its own trust
 * anchor (a client passes it as `ca`).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:https'
 * import { createSelfSignedCertificate } from '@opengradient/devnet'
 *
 * const { certificatePem, privateKeyPem } = await createSelfSignedCertificate()
 * const server = createServer({ cert: certificatePem, key: privateKeyPem }, handler)
 * ```
 */
export async function createSelfSignedCertificate(
  parameters: CreateSelfSignedCertificateParameters = {},
): Promise<CreateSelfSignedCertificateReturnType> {
  const commonName = parameters.commonName ?? 'localhost'
  const ipAddresses = parameters.ipAddresses ?? ['127.0.0.1']
  const dnsNames = parameters.dnsNames ?? ['localhost']
  const validDays = parameters.validDays ?? 365
  if (!(validDays > 0)) throw new RangeError(`"validDays" must be positive, got ${validDays}.`)
  const privateKey =
    parameters.privateKey ??
    (await new Promise<KeyObject>((resolve, reject) =>
      generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 65537 }, (error, _, key) =>
        error ? reject(error) : resolve(key),
      ),
    ))
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError('The certificate key must be an RSA private key.')
  }
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
  // The key identifier of RFC 5280 §4.2.1.2, method 1: SHA-1 of the subjectPublicKey bits.
  const keyIdentifier = createHash('sha1').update(spkiPublicKeyBits(spki)).digest()

  const serial = randomBytes(16)
  serial[0] = (serial[0]! & 0x7f) | 0x01 // positive and 16 bytes long
  // Backdated a little: a client whose clock lags must not see a "not yet valid" certificate.
  const notBefore = new Date(Date.now() - 5 * 60_000)
  const notAfter = new Date(Date.now() + validDays * 86_400_000)
  const name = sequence(set(sequence(oid(oids.commonName), utf8String(commonName))))
  const signatureAlgorithm = sequence(oid(oids.sha256WithRsaEncryption), der(0x05, []))

  const alternativeNames = [
    ...dnsNames.map((dnsName) => der(0x82, Buffer.from(dnsName, 'ascii'))),
    ...ipAddresses.map((address) => der(0x87, ipAddressBytes(address))),
  ]
  const extensions = [
    extension(oids.basicConstraints, true, sequence(boolean(true))),
    // digitalSignature, keyEncipherment, keyCertSign: bits 0, 2 and 5.
    extension(oids.keyUsage, true, bitString(Buffer.from([0b1010_0100]), 2)),
    extension(oids.extendedKeyUsage, false, sequence(oid(oids.serverAuth))),
    extension(oids.subjectKeyIdentifier, false, octetString(keyIdentifier)),
    extension(oids.authorityKeyIdentifier, false, sequence(der(0x80, keyIdentifier))),
    ...(alternativeNames.length > 0
      ? [extension(oids.subjectAltName, false, sequence(...alternativeNames))]
      : []),
  ]
  const tbsCertificate = sequence(
    der(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial),
    signatureAlgorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    Buffer.from(spki),
    der(0xa3, sequence(...extensions)),
  )
  const signature = sign('sha256', tbsCertificate, privateKey)
  const certificate = sequence(tbsCertificate, signatureAlgorithm, bitString(signature))

  return {
    certificatePem: toPem('CERTIFICATE', certificate),
    certificateDer: new Uint8Array(certificate),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  }
}

const oids = {
  commonName: '2.5.4.3',
  sha256WithRsaEncryption: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  subjectAltName: '2.5.29.17',
} as const

/** One DER element: tag, definite length, content. */
function der(tag: number, content: Uint8Array | readonly number[]): Buffer {
  const body = Buffer.from(content)
  const length = body.length
  let header: number[]
  if (length < 0x80) header = [tag, length]
  else {
    const lengthBytes: number[] = []
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest % 256)
    header = [tag, 0x80 | lengthBytes.length, ...lengthBytes]
  }
  return Buffer.concat([Buffer.from(header), body])
}

function sequence(...elements: Uint8Array[]): Buffer {
  return der(0x30, Buffer.concat(elements))
}

function set(...elements: Uint8Array[]): Buffer {
  return der(0x31, Buffer.concat(elements))
}

function boolean(value: boolean): Buffer {
  return der(0x01, [value ? 0xff : 0x00])
}

/** A non-negative INTEGER from big-endian bytes: minimal, with a 0x00 when the top bit is set. */
function integer(bytes: Uint8Array): Buffer {
  let start = 0
  while (start < bytes.length - 1 && bytes[start] === 0) start++
  const trimmed = Buffer.from(bytes.subarray(start))
  return der(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed)
}

function bitString(bytes: Uint8Array, unusedBits = 0): Buffer {
  return der(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]))
}

function octetString(bytes: Uint8Array): Buffer {
  return der(0x04, bytes)
}

function utf8String(text: string): Buffer {
  return der(0x0c, Buffer.from(text, 'utf8'))
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]]
  const bytes = [first * 40 + second]
  for (const arc of rest) {
    const groups = [arc & 0x7f]
    for (let value = arc >>> 7; value > 0; value >>>= 7) groups.unshift((value & 0x7f) | 0x80)
    bytes.push(...groups)
  }
  return der(0x06, bytes)
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString() // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`
  const year = date.getUTCFullYear()
  return year >= 1950 && year < 2050
    ? der(0x17, Buffer.from(digits.slice(2), 'ascii'))
    : der(0x18, Buffer.from(digits, 'ascii'))
}

function extension(id: string, critical: boolean, value: Uint8Array): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value))
}

function ipAddressBytes(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number))
  if (isIPv6(address)) {
    // Expand `::` and an embedded IPv4 tail into eight 16-bit groups.
    let text = address
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
    if (v4) {
      const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number]
      text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
    }
    const [head = '', tail] = text.split('::')
    const headGroups = head ? head.split(':') : []
    const tailGroups = tail ? tail.split(':') : []
    const groups =
      tail === undefined
        ? headGroups
        : [
            ...headGroups,
            ...Array(8 - headGroups.length - tailGroups.length).fill('0'),
            ...tailGroups,
          ]
    const bytes = Buffer.alloc(16)
    for (const [index, group] of groups.entries()) {
      bytes.writeUInt16BE(Number.parseInt(group, 16), index * 2)
    }
    return bytes
  }
  throw new TypeError(`"${address}" is not an IP address.`)
}

/** The subjectPublicKey BIT STRING's bits inside a DER SubjectPublicKeyInfo. */
function spkiPublicKeyBits(spki: Buffer): Buffer {
  const [, spkiContent] = readElement(spki, 0)
  const [, , algorithmEnd] = readElement(spki, spkiContent)
  const [, bitsContent, bitsEnd] = readElement(spki, algorithmEnd)
  return spki.subarray(bitsContent + 1, bitsEnd) // skip the unused-bits byte
}

/** Reads the element at `offset`: [tag, content start, end]. */
function readElement(bytes: Buffer, offset: number): [number, number, number] {
  const tag = bytes[offset]!
  let length = bytes[offset + 1]!
  let contentStart = offset + 2
  if (length & 0x80) {
    const count = length & 0x7f
    length = 0
    for (let index = 0; index < count; index++) length = length * 256 + bytes[contentStart + index]!
    contentStart += count
  }
  return [tag, contentStart, contentStart + length]
}

function toPem(label: string, bytes: Uint8Array): string {
  const lines =
    Buffer.from(bytes)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}
