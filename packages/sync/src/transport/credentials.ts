/**
 * A secret and the only places it may be sent: origins (`scheme://host[:port]`, the default port
 * left out) compared exactly, so `http:` never matches an `https:` origin, nor one port another.
 */
export interface Credential {
  token: string
  origins: readonly string[]
}

/**
 * The origin of an http(s) URL, as `URL` normalises it (lower-case host, no default port); null
 * for anything else.
 *
 * @example
 * originOf('https://GitHub.com:443/octo/hello.git') // → 'https://github.com'
 */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null
    return parsed.origin
  } catch {
    return null
  }
}

/**
 * A credential for `token` that may go to the origins of `urls` only; null without a token.
 *
 * @example
 * scopedCredential('t0k', 'https://ghe.example.com/org/repo.git')
 * // → { token: 't0k', origins: ['https://ghe.example.com'] }
 */
export function scopedCredential(
  token: string | null | undefined,
  ...urls: (string | null | undefined)[]
): Credential | null {
  if (!token) return null
  const origins = urls.map((u) => (u ? originOf(u) : null)).filter((o): o is string => o !== null)
  return origins.length > 0 ? { token, origins: [...new Set(origins)] } : null
}

/** The token of the first credential that may go to `url`, or null: send none. */
export function tokenFor(credentials: readonly (Credential | null)[], url: string): string | null {
  const origin = originOf(url)
  if (origin === null) return null
  for (const c of credentials) if (c && c.origins.includes(origin)) return c.token
  return null
}
