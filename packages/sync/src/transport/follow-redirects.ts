import { SyncError } from '../errors.ts'
import { originOf } from './credentials.ts'

/** Redirects followed before giving up: a moved or renamed repository needs one or two. */
export const MAX_REDIRECTS = 10

const REDIRECTS = new Set([301, 302, 303, 307, 308])
/** Headers that carry a secret: never sent on to another origin than the one first asked. */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie']

export interface FollowOptions {
  /**
   * the `Authorization` header for a request to this URL, decided again at every hop; null sends
   * none. Without it, an `Authorization` the caller set goes to the first origin only.
   */
  authorize?: (url: string) => string | null
  /**
   * at most this many redirects; a redirect past it is `REMOTE_PROTOCOL_ERROR`. 0 follows none:
   * the redirect is the answer
   */
  maxRedirects?: number
}

function replayable(body: RequestInit['body']): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer ||
    body instanceof URLSearchParams
  )
}

/** The next hop's URL: http(s) only, and never with credentials in it. */
function nextUrl(location: string, from: string): string {
  let next: URL
  try {
    next = new URL(location, from)
  } catch {
    throw new SyncError('REMOTE_PROTOCOL_ERROR', `${from} redirected to an invalid address`, {
      url: from,
    })
  }
  if (next.protocol !== 'https:' && next.protocol !== 'http:')
    throw new SyncError(
      'REMOTE_PROTOCOL_ERROR',
      `${from} redirected to a ${next.protocol.replace(/:$/, '')} address; only http(s) is followed`,
      { url: from },
    )
  next.username = ''
  next.password = ''
  return next.toString()
}

/**
 * `fetch` that follows redirects itself instead of letting the runtime do it, so that a secret
 * reaches only the origins it belongs to: each hop's `Authorization` comes from `authorize(url)`
 * (or, without it, is kept only while the origin is the first one), cookies likewise; the number
 * of hops is bounded. A request whose body is a stream is not replayed: its redirect is the
 * answer. 303 (and 301/302 after a POST) continue as a GET without a body, as browsers do.
 *
 * @example
 * const res = await fetchFollowingRedirects(url, { headers }, { authorize: (u) => auth(u) })
 */
export async function fetchFollowingRedirects(
  url: string,
  init: RequestInit,
  { authorize, maxRedirects = MAX_REDIRECTS }: FollowOptions = {},
): Promise<Response> {
  const first = originOf(url)
  let current = url
  let method = (init.method ?? 'GET').toUpperCase()
  let body = init.body
  let bodyDropped = false
  for (let hop = 0; ; hop++) {
    const headers = new Headers(init.headers)
    const sameOrigin = originOf(current) === first
    if (!sameOrigin) for (const name of SECRET_HEADERS) headers.delete(name)
    if (bodyDropped) for (const name of ['content-type', 'content-length']) headers.delete(name)
    if (authorize) {
      const auth = authorize(current)
      if (auth) headers.set('authorization', auth)
      else headers.delete('authorization')
    }
    const res = await fetch(current, { ...init, method, body, headers, redirect: 'manual' })
    const location = res.headers.get('location')
    if (!REDIRECTS.has(res.status) || location === null || maxRedirects === 0) return res
    const keepsBody = res.status === 307 || res.status === 308
    if (keepsBody && !replayable(body)) return res
    await res.body?.cancel().catch(() => {})
    if (hop >= maxRedirects)
      throw new SyncError(
        'REMOTE_PROTOCOL_ERROR',
        `${url}: too many redirects (more than ${maxRedirects})`,
        { url, redirects: hop },
      )
    current = nextUrl(location, current)
    if (!keepsBody && method !== 'GET' && method !== 'HEAD') {
      method = 'GET'
      body = undefined
      bodyDropped = true
    }
  }
}
