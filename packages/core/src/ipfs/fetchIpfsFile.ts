// Downloads a file from an IPFS gateway and checks its bytes against the content id.
import type { HttpErrorType, NotFoundErrorType } from '../errors/http.js'
import { HttpError, NotFoundError } from '../errors/http.js'
import type { InvalidInputErrorType } from '../errors/input.js'
import { InvalidInputError } from '../errors/input.js'
import { IntegrityError, type IntegrityErrorType } from '../errors/integrity.js'
import { TimeoutError, type TimeoutErrorType } from '../errors/timeout.js'
import { computeUnixfsCid } from './computeUnixfsCid.js'

/** The public gateway used when neither the caller nor the chain names one. */
export const defaultIpfsGatewayUrl = 'https://ipfs.io/ipfs/'

export type FetchIpfsFileParameters = {
  /** The file's content id: a CIDv0 (`Qm…`) as `ipfs add` gives it with Kubo's defaults. */
  cid: string
  /**
   * The gateway: a URL prefix the CID is appended to (`https://ipfs.io/ipfs/`), or a URL
   * template containing `{cid}`.
   * @default defaultIpfsGatewayUrl
   */
  gatewayUrl?: string | undefined
  /**
   * Computes the content id of the downloaded bytes. Pass another implementation (for example
   * `computeModelCid` of `@opengradient/hub`) to check with it instead.
   * @default computeUnixfsCid
   */
  computeCid?: ((bytes: Uint8Array) => Promise<string>) | undefined
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch | undefined
  /** Milliseconds for the whole download. @default 300_000 */
  timeout?: number | undefined
  signal?: AbortSignal | undefined
}

export type FetchIpfsFileReturnType = Uint8Array

export type FetchIpfsFileErrorType =
  | IntegrityErrorType
  | NotFoundErrorType
  | HttpErrorType
  | TimeoutErrorType
  | InvalidInputErrorType

const cidV0Pattern = /^Qm[1-9A-HJ-NP-Za-km-z]{44}$/

/**
 * True for a CIDv0 (`Qm…`, base58btc sha2-256), the form whose bytes can be checked with
 * {@link computeUnixfsCid}.
 *
 * @example
 * ```ts
 * isCidV0('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o') // true
 * isCidV0('hJD2Ja3akZFt1A2LT-D_1oxOCz_OtuGYw4V9eE1m39M') // false
 * ```
 */
export function isCidV0(text: string): boolean {
  return cidV0Pattern.test(text)
}

/**
 * The URL of a file on a gateway: the prefix with the CID appended, or the template with
 * `{cid}` replaced.
 *
 * @example
 * ```ts
 * ipfsGatewayFileUrl('http://127.0.0.1:8545/ipfs', 'Qm…') // 'http://127.0.0.1:8545/ipfs/Qm…'
 * ```
 */
export function ipfsGatewayFileUrl(gatewayUrl: string, cid: string): string {
  const segment = encodeURIComponent(cid)
  if (gatewayUrl.includes('{cid}')) return gatewayUrl.replaceAll('{cid}', segment)
  return `${gatewayUrl.endsWith('/') ? gatewayUrl : `${gatewayUrl}/`}${segment}`
}

/**
 * Downloads a file from an IPFS gateway and recomputes its content id from the bytes. Bytes
 * that do not hash to `cid` are refused with an {@link IntegrityError}, so an untrusted
 * gateway can serve a model but never substitute one.
 *
 * @example
 * ```ts
 * import { fetchIpfsFile } from '@opengradient/core'
 *
 * const bytes = await fetchIpfsFile({
 *   cid: 'QmfDq9TPsZWECmxpxb9o9wejDGDemiSM3uGs5XdBVQd4yC',
 *   gatewayUrl: 'http://127.0.0.1:8545/ipfs/',
 * })
 * ```
 */
export async function fetchIpfsFile(
  parameters: FetchIpfsFileParameters,
): Promise<FetchIpfsFileReturnType> {
  const { cid } = parameters
  if (!isCidV0(cid)) {
    throw new InvalidInputError(`"${cid}" is not a CIDv0 (Qm…) content id; it cannot be checked.`, {
      metaMessages: ['Model ids that are names or aliases cannot be fetched from IPFS.'],
    })
  }
  const url = ipfsGatewayFileUrl(parameters.gatewayUrl ?? defaultIpfsGatewayUrl, cid)
  const timeout = parameters.timeout ?? 300_000
  const deadline = AbortSignal.timeout(timeout)
  const signal = parameters.signal ? AbortSignal.any([parameters.signal, deadline]) : deadline
  const fetchFunction = parameters.fetch ?? globalThis.fetch
  let bytes: Uint8Array
  try {
    const response = await fetchFunction(url, { signal })
    if (!response.ok) {
      const text = await response.text().catch(() => '')
      const ErrorClass = response.status === 404 ? NotFoundError : HttpError
      throw new ErrorClass(
        `The gateway has no file "${cid}" to give (status ${response.status}).`,
        {
          status: response.status,
          url,
          detail: text.slice(0, 500) || undefined,
          body: text,
        },
      )
    }
    bytes = new Uint8Array(await response.arrayBuffer())
  } catch (error) {
    if (error instanceof HttpError) throw error
    if (parameters.signal?.aborted) throw parameters.signal.reason
    if (deadline.aborted) {
      throw new TimeoutError(`The download of "${cid}" did not finish in time.`, {
        timeoutMs: timeout,
        cause: error,
      })
    }
    throw new HttpError(`The download of "${cid}" from the gateway failed.`, { url, cause: error })
  }
  const actualCid = await (parameters.computeCid ?? computeUnixfsCid)(bytes)
  if (actualCid !== cid) throw new IntegrityError({ expectedCid: cid, actualCid, url })
  return bytes
}
