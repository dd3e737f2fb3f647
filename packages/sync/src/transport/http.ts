import { SyncError } from '../errors.ts'
import { fetchFollowingRedirects } from './follow-redirects.ts'

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
])

/** The first `code` along an error's `cause` chain (undici wraps socket errors). */
function causeCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/** Translates a failure of `fetch()` itself (before any response) to a sync error. */
export function connectionError(err: unknown, url: string): SyncError {
  if (err instanceof SyncError) return err
  const code = causeCode(err)
  if (code && UNREACHABLE.has(code))
    return new SyncError(
      'REMOTE_UNREACHABLE',
      `cannot reach ${url} (${code})`,
      { url, code },
      {
        cause: err,
      },
    )
  return new SyncError(
    'REMOTE_PROTOCOL_ERROR',
    `connection to ${url} failed: ${(err as Error).message}${code ? ` (${code})` : ''}`,
    { url, code },
    { cause: err },
  )
}

/** Translates a failure while a response body streams in (a cut connection) to a sync error. */
export function streamError(err: unknown, url: string): SyncError {
  if (err instanceof SyncError) return err
  const code = causeCode(err)
  return new SyncError(
    'REMOTE_PROTOCOL_ERROR',
    `the connection to ${url} broke off: ${(err as Error).message}${code ? ` (${code})` : ''}`,
    { url, code },
    { cause: err },
  )
}

/** Maps an HTTP error status of a git remote to a sync error. */
export function statusError(res: Response, url: string): SyncError {
  const data = { url, status: res.status }
  if (res.status === 401)
    return new SyncError('AUTH_FAILED', `${url}: authentication required or token refused`, data)
  if (res.status === 403)
    return new SyncError('AUTH_FAILED', `${url}: access denied for this token`, data)
  if (res.status === 404)
    return new SyncError('REMOTE_NOT_FOUND', `${url}: repository not found`, data)
  if (res.status === 429)
    return new SyncError('RATE_LIMITED', `${url}: too many requests, try again later`, data)
  return new SyncError('REMOTE_PROTOCOL_ERROR', `${url}: HTTP ${res.status}`, data)
}

export interface HttpRequest {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  body?: Buffer | AsyncIterable<Uint8Array>
  /** the repository URL, for messages */
  remote: string
  /** the content type a successful answer must have */
  expectType?: string
  /** the `Authorization` header for a request to a URL (asked again after each redirect) */
  authorize?: (url: string) => string | null
  signal?: AbortSignal
}

/**
 * One HTTP exchange with a git remote. Resolves with the body of a 2xx response of the expected
 * type as a byte stream, and the URL that answered (after redirects); anything else becomes a
 * `SyncError`. Like git (`http.followRedirects=initial`), only a GET (ref discovery) follows
 * redirects; credentials come from `authorize` for each hop, so none follow a redirect to an
 * origin they do not belong to.
 */
export async function httpRequest(
  req: HttpRequest,
): Promise<{ body: AsyncIterable<Uint8Array>; url: string }> {
  let res: Response
  try {
    const body =
      req.body === undefined
        ? undefined
        : Buffer.isBuffer(req.body)
          ? new Uint8Array(req.body)
          : ReadableStream.from(req.body)
    res = await fetchFollowingRedirects(
      req.url,
      {
        method: req.method,
        headers: req.headers,
        body,
        signal: req.signal,
        ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit,
      { authorize: req.authorize, maxRedirects: req.method === 'GET' ? undefined : 0 },
    )
  } catch (err) {
    throw connectionError(err, req.remote)
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel().catch(() => {})
    throw new SyncError(
      'REMOTE_PROTOCOL_ERROR',
      `${req.remote}: HTTP ${res.status} redirect of a ${req.method}, not followed`,
      { url: req.remote, status: res.status },
    )
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {})
    throw statusError(res, req.remote)
  }
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim()
  if (req.expectType && type !== req.expectType) {
    await res.body?.cancel().catch(() => {})
    throw new SyncError(
      'REMOTE_PROTOCOL_ERROR',
      `${req.remote} is not a git smart-HTTP server (answered ${type || 'no content type'})`,
      { url: req.url, contentType: type },
    )
  }
  return { body: guardStream(res.body ?? emptyStream(), req.remote), url: res.url || req.url }
}

async function* emptyStream(): AsyncGenerator<Uint8Array> {}

async function* guardStream(
  body: AsyncIterable<Uint8Array>,
  url: string,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk
  } catch (err) {
    throw streamError(err, url)
  }
}
