// Small HTTP helpers of the devnet hub's routes.
import type { IncomingMessage, ServerResponse } from 'node:http'

/** A request body that is too large or not JSON; answered with `status`. */
export class RequestBodyError extends Error {
  override name = 'RequestBodyError'
  readonly status: number
  constructor(message: string, status: number) {
    super(message)
    this.status = status
  }
}

/** Reads a JSON request body of at most `limit` bytes. An empty body is `undefined`. */
export async function readJsonBody(request: IncomingMessage, limit = 1 << 20): Promise<unknown> {
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of request) {
    length += (chunk as Buffer).length
    if (length > limit) throw new RequestBodyError(`The body is larger than ${limit} bytes.`, 413)
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new RequestBodyError('The body is not valid JSON.', 422)
  }
}

/** Writes a JSON answer; extra headers beside the content type and length. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  response.end(text)
}

/**
 * Answers before the request body was read (an upload refused on its headers). The rest of
 * the body is read and dropped: closing the connection instead could reset it while the
 * client still sends, and the client would see a broken pipe rather than the answer. Clients
 * that read the answer early stop sending and close the connection themselves.
 */
export function refuseEarly(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendJson(response, status, body, headers)
  request.resume()
}

/** Reads a request body to its end and drops it. */
export function drain(request: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    request.once('end', resolve)
    request.once('close', resolve)
    request.resume()
  })
}
