// The devnet TEE's keys and certificate, kept in the data directory so its tee id and pinned
// certificate survive restarts (a client that pinned them keeps working).
import {
  createPrivateKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { createSelfSignedCertificate } from './certificate.js'
import { createTeeSigner, type TeeSigner } from './tee.js'

/** The TEE's identity: the key that signs answers and the TLS key and certificate it serves. */
export type TeeIdentity = {
  signer: TeeSigner
  tls: { certificatePem: string; certificateDer: Uint8Array; privateKeyPem: string }
}

/** File names in the TEE directory. */
export const teeIdentityFiles = {
  signingKey: 'signing-key.pem',
  tlsKey: 'tls-key.pem',
  tlsCertificate: 'tls-certificate.pem',
} as const

// Renewed this long before it expires, so a running devnet never serves an expired certificate.
const renewalMarginMs = 30 * 86_400_000
const certificateValidDays = 3650

/**
 * Loads the TEE identity from `dir`, creating what is missing: an RSA-2048 signing key, an
 * RSA-2048 TLS key and a self-signed certificate for 127.0.0.1 and localhost (renewed with the
 * same key when it nears its end). Files are written atomically with mode 0600.
 *
 * @example
 * ```ts
 * const identity = await loadTeeIdentity({ dir: join(dataDir, 'tee') })
 * identity.signer.teeId // the same after every restart
 * ```
 */
export async function loadTeeIdentity(parameters: {
  dir: string
  /** Signs instead of the stored signing key (which is then neither read nor created). */
  signer?: TeeSigner | undefined
}): Promise<TeeIdentity> {
  const { dir } = parameters
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const signer =
    parameters.signer ??
    (await createTeeSigner({
      privateKey: await loadOrCreateKey(join(dir, teeIdentityFiles.signingKey)),
    }))
  const tlsKey = await loadOrCreateKey(join(dir, teeIdentityFiles.tlsKey))
  const certificateFile = join(dir, teeIdentityFiles.tlsCertificate)
  let certificatePem = existsSync(certificateFile) ? await readFile(certificateFile, 'utf8') : ''
  if (!usableCertificate(certificatePem, tlsKey)) {
    certificatePem = (
      await createSelfSignedCertificate({
        commonName: 'OpenGradient devnet TEE',
        ipAddresses: ['127.0.0.1'],
        dnsNames: ['localhost'],
        validDays: certificateValidDays,
        privateKey: tlsKey,
      })
    ).certificatePem
    await writePrivateFile(certificateFile, certificatePem)
  }
  return {
    signer,
    tls: {
      certificatePem,
      certificateDer: new Uint8Array(new X509Certificate(certificatePem).raw),
      privateKeyPem: tlsKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    },
  }
}

async function loadOrCreateKey(file: string): Promise<KeyObject> {
  if (existsSync(file)) return createPrivateKey(await readFile(file, 'utf8'))
  const key = await new Promise<KeyObject>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 65537 }, (error, _, created) =>
      error ? reject(error) : resolve(created),
    ),
  )
  await writePrivateFile(file, key.export({ type: 'pkcs8', format: 'pem' }) as string)
  return key
}

function usableCertificate(pem: string, key: KeyObject): boolean {
  if (!pem) return false
  try {
    const certificate = new X509Certificate(pem)
    return (
      certificate.checkPrivateKey(key) &&
      certificate.checkIP('127.0.0.1') !== undefined &&
      Date.parse(certificate.validTo) - Date.now() > renewalMarginMs
    )
  } catch {
    return false
  }
}

/**
 * Writes a file readable by its owner only, atomically: a crash leaves the old file or the new
 * one, never a torn key.
 */
async function writePrivateFile(file: string, content: string): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`
  const handle = await open(temporary, 'wx', 0o600)
  try {
    await handle.writeFile(content)
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(temporary, { force: true })
    throw error
  }
  await handle.close()
  // The mode given to open() is narrowed by the umask, never widened; chmod makes it exact.
  await chmod(temporary, 0o600)
  await rename(temporary, file)
}
