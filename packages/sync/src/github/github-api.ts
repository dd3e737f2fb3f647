/** What the sync needs to know about a GitHub repository. */
export interface GitHubRepoInfo {
  owner: string
  repo: string
  defaultBranch: string
  visibility: 'public' | 'private' | 'internal'
  /** whether the token may push (false without a token) */
  canPush: boolean
}

export interface PullRequestInput {
  owner: string
  repo: string
  title: string
  body?: string
  /** the branch with the changes */
  head: string
  /** the branch to merge into */
  base: string
}

export interface PullRequestInfo {
  url: string
  number: number
}

/**
 * The few GitHub API calls sync uses. `OctokitGitHubApi` implements it over @octokit/rest;
 * failures are `SyncError`s (`AUTH_FAILED`, `REMOTE_NOT_FOUND`, `RATE_LIMITED`, ...).
 */
export interface GitHubApi {
  getRepo(input: { owner: string; repo: string }): Promise<GitHubRepoInfo>
  createPullRequest(input: PullRequestInput): Promise<PullRequestInfo>
}
