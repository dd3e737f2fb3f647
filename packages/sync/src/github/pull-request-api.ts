import { SyncError } from '../errors.ts'
import { originOf, scopedCredential, tokenFor, type Credential } from '../transport/credentials.ts'
import type { RemoteUrl } from '../transport/remote-url.ts'
import type { GitHubApi } from './github-api.ts'
import {
  GITHUB_API_URL,
  GITHUB_URL,
  gitHubCredential,
  gitHubHost,
  type GitHubHost,
} from './github-host.ts'
import { OctokitGitHubApi } from './octokit-github-api.ts'

export interface PullRequestApiInput {
  remote: RemoteUrl
  /** the caller's token for the remote */
  token?: string | null
  /** the server's token, for its configured GitHub only */
  defaultToken?: string | null
  githubHost?: GitHubHost
  /** an API URL the caller names for this push (trusted like its token) */
  apiUrl?: string
  /** the API URL recorded with the remote at import */
  recordedApiUrl?: string
}

/**
 * The GitHub API that opens a pull request on `remote`, with the one token allowed there: the
 * caller's token goes to the API of the remote's own host (api.github.com for github.com, the
 * same origin for GitHub Enterprise) or to the API the caller names; the server's token only
 * to the configured GitHub's API. An API no token may reach is `PULL_REQUEST_UNSUPPORTED`.
 */
export function pullRequestApi(input: PullRequestApiInput): GitHubApi {
  const { remote } = input
  const host = input.githubHost ?? gitHubHost()
  const remoteOrigin = originOf(remote.url)
  const ownApi =
    remoteOrigin === GITHUB_URL
      ? GITHUB_API_URL
      : remoteOrigin === originOf(host.url)
        ? host.apiUrl
        : undefined
  const apiUrl = input.apiUrl ?? input.recordedApiUrl ?? ownApi
  if (!apiUrl)
    throw new SyncError(
      'PULL_REQUEST_UNSUPPORTED',
      `no GitHub API known for ${remote.host} (set the GitHub API URL for GitHub Enterprise)`,
      { host: remote.host },
    )
  const credentials: (Credential | null)[] = [
    scopedCredential(input.token, remote.url, ownApi, input.apiUrl),
    gitHubCredential(input.defaultToken, host),
  ]
  const token = tokenFor(credentials, apiUrl)
  if (!token)
    throw new SyncError(
      'PULL_REQUEST_UNSUPPORTED',
      `no token may be sent to the GitHub API at ${apiUrl}: it is neither ${remote.host}'s ` +
        'own API nor the configured GitHub',
      { host: remote.host, apiUrl },
    )
  return new OctokitGitHubApi({ token, baseUrl: apiUrl })
}
