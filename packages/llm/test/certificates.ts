// Leaf certificates issued by another certificate's key, for TLS tests that need a chain (the
// devnet's helper makes self-signed ones only). DER is written by hand: no OpenSSL binary needed.
import {
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto'

export type IssuedCertificate = {
  certificateDer: Uint8Array
  certificatePem: string
  privateKeyPem: string
}

/**
 * Issues a leaf certificate for `127.0.0.1` and `localhost`, signed (sha256WithRSAEncryption)
 * by `issuerKey` with issuer `CN=<issuerCommonName>`.
 */
export function issueCertificate(parameters: {
  issuerCommonName: string
  issuerKey: KeyObject
  commonName?: string | undefined
}): IssuedCertificate {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
  const sha256WithRsa = sequence(oid('1.2.840.113549.1.1.11'), der(0x05, []))
  const serial = randomBytes(16)
  serial[0] = ((serial[0] as number) & 0x7f) | 0x01
  const altNames = sequence(
    der(0x87, Buffer.from('127.0.0.1'.split('.').map(Number))),
    der(0x82, Buffer.from('localhost')),
  )
  const tbs = sequence(
    der(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    sha256WithRsa,
    name(parameters.issuerCommonName),
    sequence(time(new Date(Date.now() - 300_000)), time(new Date(Date.now() + 86_400_000))),
    // A subject other than the issuer's: with the same name OpenSSL takes it for self-signed.
    name(parameters.commonName ?? 'leaf.localhost'),
    spki,
    der(
      0xa3,
      sequence(
        sequence(oid('2.5.29.19'), der(0x01, [0xff]), der(0x04, sequence())),
        sequence(oid('2.5.29.17'), der(0x04, altNames)),
      ),
    ),
  )
  const signature = sign('sha256', tbs, parameters.issuerKey)
  const certificate = sequence(
    tbs,
    sha256WithRsa,
    der(0x03, Buffer.concat([Buffer.from([0]), signature])),
  )
  const lines = certificate.toString('base64').match(/.{1,64}/g) ?? []
  return {
    certificateDer: new Uint8Array(certificate),
    certificatePem: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  }
}

function der(tag: number, content: Uint8Array | readonly number[]): Buffer {
  const body = Buffer.from(content as Uint8Array)
  const length = body.length
  let header: number[]
  if (length < 0x80) header = [tag, length]
  else {
    const bytes: number[] = []
    for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff)
    header = [tag, 0x80 | bytes.length, ...bytes]
  }
  return Buffer.concat([Buffer.from(header), body])
}

function sequence(...elements: Uint8Array[]): Buffer {
  return der(0x30, Buffer.concat(elements))
}

function integer(bytes: Uint8Array): Buffer {
  return der(0x02, (bytes[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes)
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]]
  const bytes = [first * 40 + second]
  for (const part of rest) {
    const encoded = [part & 0x7f]
    for (let value = part >> 7; value > 0; value >>= 7) encoded.unshift(0x80 | (value & 0x7f))
    bytes.push(...encoded)
  }
  return der(0x06, bytes)
}

function name(commonName: string): Buffer {
  return sequence(der(0x31, sequence(oid('2.5.4.3'), der(0x0c, Buffer.from(commonName)))))
}

function time(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14)
  return der(0x17, Buffer.from(`${text}Z`))
}
