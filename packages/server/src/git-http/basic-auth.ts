import { createHash, timingSafeEqual } from 'node:crypto'

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * True when the request carries the API key: as the password of HTTP Basic auth (any user name,
 * the way git sends credentials) or in `X-Internal-API-Key`. Compared in constant time.
 */
export function hasApiKey(headers: Headers, apiKey: string): boolean {
  const expected = digest(apiKey)
  const same = (given: string) => timingSafeEqual(digest(given), expected)
  const header = headers.get('x-internal-api-key')
  if (header !== null && same(header)) return true
  const auth = headers.get('authorization')
  const m = auth ? /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth) : null
  if (!m) return false
  const decoded = Buffer.from(m[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon >= 0 && same(decoded.slice(colon + 1))
}

/** The 401 git understands: it asks its credential helper, then retries with Basic auth. */
export function unauthorized(): Response {
  return new Response('authentication required: use the API key as the password\n', {
    status: 401,
    headers: {
      'WWW-Authenticate': 'Basic realm="gitpg", charset="UTF-8"',
      'Content-Type': 'text/plain; charset=utf-8',
    },
  })
}
