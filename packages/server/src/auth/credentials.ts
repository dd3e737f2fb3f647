/**
 * The key a request carries: `X-Internal-API-Key`, else `Authorization: Bearer <key>`, else (when
 * `basic`, for git smart HTTP) the password of `Authorization: Basic`, with any user name, the
 * way git sends credentials. Null when it carries none.
 *
 * @example
 * keyFromHeaders(new Headers({ authorization: 'Bearer gitpg_abc' }), { basic: false }) // 'gitpg_abc'
 */
export function keyFromHeaders(headers: Headers, { basic }: { basic: boolean }): string | null {
  const header = headers.get('x-internal-api-key')
  if (header !== null) return header
  const auth = headers.get('authorization')
  if (auth === null) return null
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(auth)
  if (bearer) return bearer[1]
  const m = basic ? /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth) : null
  if (!m) return null
  const decoded = Buffer.from(m[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon >= 0 ? decoded.slice(colon + 1) : null
}
