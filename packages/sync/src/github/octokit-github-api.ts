import { Octokit } from '@octokit/rest'
import { SyncError } from '../errors.ts'
import { fetchFollowingRedirects } from '../transport/follow-redirects.ts'
import { connectionError } from '../transport/http.ts'
import type { GitHubApi, GitHubRepoInfo, PullRequestInfo, PullRequestInput } from './github-api.ts'
import { GITHUB_API_URL } from './github-host.ts'

/** Octokit's requests go through this: redirects followed by hand, the token kept to its origin. */
const guardedFetch: typeof fetch = (input, init) =>
  fetchFollowingRedirects(
    typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    init ?? {},
  )

interface OctokitFailure {
  status?: number
  message?: string
  cause?: unknown
  response?: { headers?: Record<string, string | undefined>; data?: unknown }
}

/** Why a GitHub API call failed, as a `SyncError` with a message a person can act on. */
export function gitHubError(err: unknown, what: string, baseUrl = GITHUB_API_URL): SyncError {
  const e = err as OctokitFailure
  const status = e.status
  const headers = e.response?.headers ?? {}
  if (!e.response) return connectionError(e.cause ?? err, `the GitHub API at ${baseUrl}`)
  const data = { status, what }
  const remaining = headers['x-ratelimit-remaining']
  if (status === 429 || (status === 403 && remaining === '0')) {
    const reset = Number(headers['x-ratelimit-reset'])
    const at = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : null
    const retryAfter = headers['retry-after']
    return new SyncError(
      'RATE_LIMITED',
      `GitHub API rate limit exceeded (${what})${at ? `; resets at ${at.toISOString()}` : ''}`,
      { ...data, resetAt: at?.toISOString() ?? null, retryAfter: retryAfter ?? null },
    )
  }
  if (status === 401)
    return new SyncError('AUTH_FAILED', `GitHub refused the token (${what}): ${e.message}`, data)
  if (status === 403)
    return new SyncError('AUTH_FAILED', `GitHub denied access (${what}): ${e.message}`, data)
  if (status === 404)
    return new SyncError(
      'REMOTE_NOT_FOUND',
      `GitHub repository not found, or not visible to this token (${what})`,
      data,
    )
  if (status === 422)
    return new SyncError('PULL_REQUEST_FAILED', `GitHub declined (${what}): ${e.message}`, data)
  return new SyncError(
    'REMOTE_PROTOCOL_ERROR',
    `GitHub API error ${status} (${what}): ${e.message}`,
    data,
  )
}

/**
 * GitHub (or GitHub Enterprise, through `baseUrl`, e.g. `https://ghe.example.com/api/v3`). The
 * token goes to `baseUrl`'s origin only: a redirect to another origin continues without it.
 *
 * @example
 * const api = new OctokitGitHubApi({ token: process.env.GITHUB_TOKEN })
 * const { defaultBranch, canPush } = await api.getRepo({ owner: 'octo', repo: 'hello' })
 */
export class OctokitGitHubApi implements GitHubApi {
  readonly #octokit: Octokit
  readonly baseUrl: string

  constructor({ token, baseUrl = GITHUB_API_URL }: { token?: string | null; baseUrl?: string }) {
    this.baseUrl = baseUrl.replace(/\/+$/, '')
    this.#octokit = new Octokit({
      auth: token ?? undefined,
      baseUrl: this.baseUrl,
      userAgent: 'gitpg',
      request: { fetch: guardedFetch },
      log: { debug() {}, info() {}, warn() {}, error() {} },
    })
  }

  async getRepo({ owner, repo }: { owner: string; repo: string }): Promise<GitHubRepoInfo> {
    try {
      const { data } = await this.#octokit.rest.repos.get({ owner, repo })
      const visibility = (data.visibility ?? (data.private ? 'private' : 'public')) as
        'public' | 'private' | 'internal'
      return {
        owner: data.owner.login,
        repo: data.name,
        defaultBranch: data.default_branch,
        visibility,
        canPush: data.permissions?.push ?? false,
      }
    } catch (err) {
      throw gitHubError(err, `repository ${owner}/${repo}`, this.baseUrl)
    }
  }

  async createPullRequest(input: PullRequestInput): Promise<PullRequestInfo> {
    try {
      const { data } = await this.#octokit.rest.pulls.create({
        owner: input.owner,
        repo: input.repo,
        title: input.title,
        body: input.body,
        head: input.head,
        base: input.base,
      })
      return { url: data.html_url, number: data.number }
    } catch (err) {
      throw gitHubError(err, `pull request on ${input.owner}/${input.repo}`, this.baseUrl)
    }
  }
}
