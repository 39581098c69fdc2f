import { createPrivateKey, X509Certificate } from 'node:crypto'
import { once } from 'node:events'
import { createServer, request } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { PeerCertificate } from 'node:tls'
import { describe, expect, test } from 'vitest'
import { createSelfSignedCertificate } from './certificate.js'

/** Serves "ok" over HTTPS with the certificate and calls it with `ca` set to `trusted`. */
async function handshake(
  served: { certificatePem: string; privateKeyPem: string },
  client: { ca: string; host?: string; servername?: string },
): Promise<{ body: string; peer: PeerCertificate }> {
  const server = createServer({ cert: served.certificatePem, key: served.privateKeyPem }, (_, r) =>
    r.end('ok'),
  )
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  try {
    return await new Promise((resolve, reject) => {
      const call = request(
        {
          host: client.host ?? '127.0.0.1',
          port,
          ca: client.ca,
          servername: client.servername,
          agent: false,
        },
        (response) => {
          const peer = (response.socket as import('node:tls').TLSSocket).getPeerCertificate()
          let body = ''
          response.on('data', (chunk) => {
            body += chunk
          })
          response.on('end', () => resolve({ body, peer }))
        },
      )
      call.on('error', reject)
      call.end()
    })
  } finally {
    server.closeAllConnections()
    server.close()
  }
}

describe('createSelfSignedCertificate', () => {
  test('default', async () => {
    const created = await createSelfSignedCertificate()
    const certificate = new X509Certificate(created.certificatePem)
    expect(new Uint8Array(certificate.raw)).toEqual(created.certificateDer)
    expect(certificate.subject).toBe('CN=localhost')
    expect(certificate.issuer).toBe('CN=localhost')
    expect(certificate.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1')
    expect(certificate.ca).toBe(true)
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1'])
    expect(certificate.serialNumber).toMatch(/^[0-9A-F]{32}$/)
    // Self-signed: its own key verifies its signature, and it names the generated key.
    expect(certificate.verify(certificate.publicKey)).toBe(true)
    expect(certificate.checkPrivateKey(createPrivateKey(created.privateKeyPem))).toBe(true)
    expect(certificate.publicKey.asymmetricKeyDetails).toMatchObject({
      modulusLength: 2048,
      publicExponent: 65537n,
    })
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(certificate.checkHost('localhost')).toBe('localhost')
    const lifetime = Date.parse(certificate.validTo) - Date.parse(certificate.validFrom)
    expect(Math.round(lifetime / 86_400_000)).toBe(365)
    expect(Date.parse(certificate.validFrom)).toBeLessThan(Date.now())
  })

  test('args: commonName, ipAddresses, dnsNames, validDays', async () => {
    const created = await createSelfSignedCertificate({
      commonName: 'devnet tee',
      ipAddresses: ['10.1.2.3', '::1', 'fe80::1:2', '::ffff:192.0.2.1'],
      dnsNames: ['tee.local', 'a.example'],
      validDays: 20_000,
    })
    const certificate = new X509Certificate(created.certificateDer)
    expect(certificate.subject).toBe('CN=devnet tee')
    expect(certificate.subjectAltName).toBe(
      'DNS:tee.local, DNS:a.example, IP Address:10.1.2.3, IP Address:0:0:0:0:0:0:0:1, IP Address:FE80:0:0:0:0:0:1:2, IP Address:0:0:0:0:0:FFFF:C000:201',
    )
    // Past 2049 the end date is a GeneralizedTime.
    expect(new Date(certificate.validTo).getUTCFullYear()).toBeGreaterThan(2049)
    expect(certificate.verify(certificate.publicKey)).toBe(true)
  })

  test('args: privateKey', async () => {
    const first = await createSelfSignedCertificate()
    const key = createPrivateKey(first.privateKeyPem)
    const second = await createSelfSignedCertificate({ privateKey: key })
    const publicKey = (pem: string) =>
      new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' })
    expect(publicKey(second.certificatePem)).toEqual(publicKey(first.certificatePem))
    expect(second.certificateDer).not.toEqual(first.certificateDer) // new serial
  })

  test('behavior: a TLS client trusting only the certificate completes the handshake', async () => {
    const created = await createSelfSignedCertificate()
    const { body, peer } = await handshake(created, { ca: created.certificatePem })
    expect(body).toBe('ok')
    expect(new Uint8Array(peer.raw)).toEqual(created.certificateDer)
    // The hostname check passes for the host name too.
    const byName = await handshake(created, { ca: created.certificatePem, host: 'localhost' })
    expect(byName.body).toBe('ok')
  })

  test('error: a client trusting another certificate refuses the handshake', async () => {
    const [served, other] = await Promise.all([
      createSelfSignedCertificate(),
      createSelfSignedCertificate(),
    ])
    await expect(handshake(served, { ca: other.certificatePem })).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    })
  })

  test('error: the hostname check fails for a name the certificate does not carry', async () => {
    const created = await createSelfSignedCertificate({ dnsNames: [], ipAddresses: ['10.0.0.1'] })
    await expect(handshake(created, { ca: created.certificatePem })).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    })
  })

  test('error: validDays must be positive', async () => {
    await expect(createSelfSignedCertificate({ validDays: 0 })).rejects.toThrow(
      '"validDays" must be positive, got 0.',
    )
  })
})
