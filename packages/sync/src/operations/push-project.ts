import { writePackStream } from '@gitpg/git-pg-fs'
import { SyncError } from '../errors.ts'
import type { GitHubApi, PullRequestInfo } from '../github/github-api.ts'
import { pullRequestApi } from '../github/pull-request-api.ts'
import { parseRemoteUrl } from '../transport/remote-url.ts'
import { listPushObjects, readObjectsInOrder } from './list-push-objects.ts'
import { openProjectRemote } from './project-remote.ts'
import { connectSmartHttp, syncCredentials, type SyncOptions } from './sync-options.ts'

export interface PullRequestOptions {
  title: string
  body?: string
  /** the branch to merge into; the followed remote branch by default */
  base?: string
}

export interface PushOptions extends SyncOptions {
  name: string
  /** the local branch; the project's default branch when omitted */
  branch?: string
  /** the remote branch; the followed one for the default branch, else the same name */
  remoteBranch?: string
  /** overwrite the remote branch even when that drops commits */
  force?: boolean
  /** push to a new remote branch and open a pull request (GitHub) */
  pullRequest?: PullRequestOptions
  /** the GitHub API; by default Octokit at `githubApiUrl` (api.github.com for github.com) */
  github?: GitHubApi
  /** overrides the GitHub API URL recorded with the remote at import */
  githubApiUrl?: string
}

export interface PushResult {
  branch: string
  remoteBranch: string
  /** the remote branch before (null: created) */
  from: string | null
  to: string
  /** false when the remote already had this commit */
  pushed: boolean
  objects: number
  pullRequest?: PullRequestInfo
}

const REJECTED_NON_FF = /non-fast-forward|fetch first|stale info/

/**
 * Pushes a branch to the project's remote: the objects the remote lacks in one pack, the ref
 * moved by compare-and-swap on the remote. A remote branch with commits the local one lacks is
 * `NON_FAST_FORWARD` unless `force`. With `pullRequest`, pushes to a new branch and opens a PR.
 *
 * @example
 * const { pullRequest } = await pushProject({ store, name: 'docs', token,
 *   pullRequest: { title: 'Update docs' } })
 */
export async function pushProject(options: PushOptions): Promise<PushResult> {
  const { store, name, onProgress } = options
  const { repo, remote: config } = await openProjectRemote({ store, name, cache: options.cache })
  const branch = options.branch ?? repo.defaultBranch
  const to = await repo.readRef(`refs/heads/${branch}`)
  if (!to) throw new SyncError('BRANCH_NOT_FOUND', `branch ${branch} does not exist`, { branch })
  const followed = config.branch ?? repo.defaultBranch
  const remoteBranch =
    options.remoteBranch ??
    (options.pullRequest
      ? `gitpg/${branch}-${to.slice(0, 8)}`
      : branch === repo.defaultBranch
        ? followed
        : branch)
  const parsed = parseRemoteUrl(config.url)
  const token = options.token ?? parsed.token
  // A pull request needs a GitHub API: know that before pushing anything.
  let github: GitHubApi | null = null
  if (options.pullRequest) {
    if (!parsed.owner || !parsed.repo)
      throw new SyncError('PULL_REQUEST_UNSUPPORTED', `${parsed.url} is not a GitHub repository`)
    github =
      options.github ??
      pullRequestApi({
        remote: parsed,
        token,
        defaultToken: options.defaultToken,
        githubHost: options.githubHost,
        apiUrl: options.githubApiUrl,
        recordedApiUrl: typeof config.githubApiUrl === 'string' ? config.githubApiUrl : undefined,
      })
  }
  const remote = (options.connect ?? connectSmartHttp)({
    url: parsed.url,
    credentials: syncCredentials({ ...options, token }, parsed.url),
  })
  onProgress?.({ phase: 'connecting' })
  const refs = await remote.listPushRefs()
  const ref = `refs/heads/${remoteBranch}`
  const from = refs.find((r) => r.name === ref)?.oid ?? null

  let objects = 0
  let pushed = false
  if (from !== to) {
    const known = await store.hasObjects(repo.repoId, [...new Set(refs.map((r) => r.oid))])
    const ours = await store.readCommitGraph(repo.repoId, [to])
    if (from && !options.force && !(known.has(from) && ours.has(from)))
      throw new SyncError(
        'NON_FAST_FORWARD',
        `${remoteBranch} on the remote has commits ${branch} does not have; pull first`,
        { branch, remoteBranch, local: to, remote: from },
      )
    onProgress?.({ phase: 'negotiating' })
    const oids = await listPushObjects({
      store,
      reader: repo.reader,
      repoId: repo.repoId,
      heads: [to],
      exclude: [...known],
    })
    objects = oids.length
    onProgress?.({ phase: 'sending', objects, bytes: 0 })
    const pack = writePackStream(readObjectsInOrder({ store, repoId: repo.repoId, oids }), objects)
    const result = await remote.pushPack({
      commands: [{ ref, oldOid: from, newOid: to }],
      pack,
      onProgress,
    })
    const error = result.refs.find((r) => r.ref === ref)?.error ?? null
    if (error && REJECTED_NON_FF.test(error))
      throw new SyncError('NON_FAST_FORWARD', `the remote refused ${remoteBranch}: ${error}`, {
        branch,
        remoteBranch,
      })
    if (error)
      throw new SyncError('REMOTE_REJECTED', `the remote refused ${remoteBranch}: ${error}`, {
        branch,
        remoteBranch,
        reason: error,
      })
    pushed = true
  }
  onProgress?.({ phase: 'done', objects })
  const out: PushResult = { branch, remoteBranch, from, to, pushed, objects }
  if (options.pullRequest && github && parsed.owner && parsed.repo) {
    out.pullRequest = await github.createPullRequest({
      owner: parsed.owner,
      repo: parsed.repo,
      title: options.pullRequest.title,
      body: options.pullRequest.body,
      head: remoteBranch,
      base: options.pullRequest.base ?? followed,
    })
  }
  return out
}
