import { SyncError } from '../errors.ts'

/** A parsed remote address: the URL without credentials, and any credentials it carried. */
export interface RemoteUrl {
  /** `https://host/owner/repo.git`, no credentials, no trailing slash */
  url: string
  host: string
  /** the token from `https://user:token@host/...`, if any */
  token: string | null
  /** owner and repository name for `host/owner/repo(.git)` paths */
  owner: string | null
  repo: string | null
}

/**
 * Checks and normalises a git smart-HTTP URL; anything but http(s) is `BAD_REMOTE_URL`.
 *
 * @example
 * parseRemoteUrl('https://x-access-token:t0k@github.com/octo/hello.git')
 * // → { url: 'https://github.com/octo/hello.git', token: 't0k', owner: 'octo', repo: 'hello', ... }
 */
export function parseRemoteUrl(input: string): RemoteUrl {
  let parsed: URL
  if (/^[\w.-]+@[\w.-]+:/.test(input.trim()))
    throw new SyncError(
      'BAD_REMOTE_URL',
      `SSH remotes are not supported; use the repository's https:// URL instead of ${input.trim().replace(/^[^@]*@/, '')}`,
      { url: input.trim().replace(/^[^@]*@/, '') },
    )
  try {
    parsed = new URL(input.trim())
  } catch {
    const shown = redactText(input)
    throw new SyncError('BAD_REMOTE_URL', `${JSON.stringify(shown)} is not a URL`, { url: shown })
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new SyncError(
      'BAD_REMOTE_URL',
      `only http(s) remotes are supported, not ${parsed.protocol.replace(/:$/, '')}`,
      { url: redact(parsed) },
    )
  if (!parsed.hostname)
    throw new SyncError('BAD_REMOTE_URL', 'the URL has no host', { url: redact(parsed) })
  if (parsed.search || parsed.hash)
    throw new SyncError('BAD_REMOTE_URL', 'a remote URL takes no query or fragment', {
      url: redact(parsed),
    })
  const token = parsed.password
    ? decodeURIComponent(parsed.password)
    : parsed.username
      ? decodeURIComponent(parsed.username)
      : null
  parsed.username = ''
  parsed.password = ''
  const path = parsed.pathname.replace(/\/+$/, '')
  if (path === '')
    throw new SyncError('BAD_REMOTE_URL', 'the URL names no repository', { url: redact(parsed) })
  const parts = path.split('/').filter(Boolean)
  const twoParts = parts.length === 2
  return {
    url: `${parsed.protocol}//${parsed.host}${path}`,
    host: parsed.hostname,
    token,
    owner: twoParts ? parts[0] : null,
    repo: twoParts ? parts[1].replace(/\.git$/, '') : null,
  }
}

/** `scheme://user:secret@rest` → `scheme://***@rest`, for text that does not parse as a URL. */
export function redactText(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@')
}

function redact(url: URL): string {
  const copy = new URL(url.toString())
  copy.username = ''
  copy.password = ''
  return copy.toString()
}

/** The `Authorization` header for a token, GitHub style (`x-access-token:<token>`). */
export function basicAuth(token: string): string {
  return `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`
}
