import { originOf, scopedCredential, type Credential } from '../transport/credentials.ts'

export const GITHUB_URL = 'https://github.com'
export const GITHUB_API_URL = 'https://api.github.com'

/** The GitHub a server works with: github.com, or a GitHub Enterprise Server. */
export interface GitHubHost {
  /** where repositories live, `https://github.com` or `https://ghe.example.com` (an origin) */
  url: string
  /** the REST API, `https://api.github.com` or `https://ghe.example.com/api/v3` */
  apiUrl: string
}

/**
 * The GitHub at `url` (github.com by default): github.com's API is api.github.com, a GitHub
 * Enterprise Server's is `<url>/api/v3`. Throws a `TypeError` for anything but an http(s) origin.
 *
 * @example
 * gitHubHost('https://ghe.example.com')
 * // → { url: 'https://ghe.example.com', apiUrl: 'https://ghe.example.com/api/v3' }
 */
export function gitHubHost(url: string = GITHUB_URL): GitHubHost {
  const origin = originOf(url)
  const parsed = origin ? new URL(url) : null
  if (!origin || !parsed || parsed.username || parsed.password || parsed.search || parsed.hash)
    throw new TypeError(`a GitHub URL is an http(s) origin such as https://github.com, not ${url}`)
  if (parsed.pathname !== '/')
    throw new TypeError(`a GitHub URL has no path (https://ghe.example.com), not ${url}`)
  return {
    url: origin,
    apiUrl: origin === GITHUB_URL ? GITHUB_API_URL : `${origin}/api/v3`,
  }
}

/** Whether `url` is a repository or API address of this GitHub (same scheme, host and port). */
export function isOnGitHub(host: GitHubHost, url: string): boolean {
  const origin = originOf(url)
  return origin !== null && (origin === originOf(host.url) || origin === originOf(host.apiUrl))
}

/**
 * The server's own token as a credential: it may go to this GitHub's web and API origins and
 * nowhere else, whatever URL a caller names.
 */
export function gitHubCredential(
  token: string | null | undefined,
  host: GitHubHost,
): Credential | null {
  return scopedCredential(token, host.url, host.apiUrl)
}
