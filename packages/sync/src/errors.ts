import { GitPgError } from '@gitpg/git-pg-fs'

/** Every failure of a sync with a remote, by stable code. */
export type SyncErrorCode =
  /** the remote or the GitHub API refused the credentials (HTTP 401 or 403) */
  | 'AUTH_FAILED'
  /** no repository at that address (HTTP 404) */
  | 'REMOTE_NOT_FOUND'
  /** the GitHub API's rate limit is used up (HTTP 429, or 403 with no requests remaining) */
  | 'RATE_LIMITED'
  /** the host could not be reached (refused connection, unknown name, timeout) */
  | 'REMOTE_UNREACHABLE'
  /** not an http(s) URL of a repository */
  | 'BAD_REMOTE_URL'
  /** the remote branch has commits the local branch lacks */
  | 'NON_FAST_FORWARD'
  /** local and remote commits diverged: neither branch contains the other */
  | 'DIVERGED'
  /** the remote broke the protocol: cut connection, truncated or malformed answer */
  | 'REMOTE_PROTOCOL_ERROR'
  /** the remote understood the request and declined it (hook, protected branch, ...) */
  | 'REMOTE_REJECTED'
  /** a merge of diverged branches changes the same paths differently on both sides */
  | 'MERGE_CONFLICT'
  /** the project has no remote to pull from or push to */
  | 'NO_REMOTE'
  /** the remote has no such branch */
  | 'REMOTE_BRANCH_NOT_FOUND'
  /** the local branch to push does not exist */
  | 'BRANCH_NOT_FOUND'
  /** pull requests need the GitHub API, which this remote does not have */
  | 'PULL_REQUEST_UNSUPPORTED'
  /** GitHub declined to open the pull request (e.g. one exists already) */
  | 'PULL_REQUEST_FAILED'

/**
 * A sync failure with a stable `code` and details in `data`.
 *
 * @example
 * try { await pullProject({ ... }) } catch (err) {
 *   if (err instanceof SyncError && err.code === 'DIVERGED') ...
 * }
 */
export class SyncError extends GitPgError<SyncErrorCode> {
  constructor(
    code: SyncErrorCode,
    message: string,
    data: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, data, options)
    this.name = 'SyncError'
  }
}

/** The HTTP status that fits each code, for servers that answer with them. */
export const SYNC_ERROR_STATUS: Record<SyncErrorCode, number> = {
  AUTH_FAILED: 403,
  REMOTE_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  REMOTE_UNREACHABLE: 502,
  BAD_REMOTE_URL: 400,
  NON_FAST_FORWARD: 409,
  DIVERGED: 409,
  REMOTE_PROTOCOL_ERROR: 502,
  REMOTE_REJECTED: 409,
  MERGE_CONFLICT: 409,
  NO_REMOTE: 409,
  REMOTE_BRANCH_NOT_FOUND: 404,
  BRANCH_NOT_FOUND: 404,
  PULL_REQUEST_UNSUPPORTED: 400,
  PULL_REQUEST_FAILED: 422,
}
