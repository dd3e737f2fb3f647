import {
  GitPgError,
  type AuthorInput,
  type CommitResult,
  type FileChange,
  type Repository,
} from '@gitpg/git-pg-fs'
import { ApiError, NothingToCommitError } from '../errors.ts'
import type { PendingStore } from '../store/pending-store.ts'
import { commitOnBranch } from './commit-on-branch.ts'

/**
 * Turns a user's pending changes (all, or those at `paths`) into one commit on `branch` and
 * clears exactly the rows it committed, in the commit's own transaction: if any of them was
 * saved again meanwhile, nothing is committed (`PENDING_CONFLICT`); if the branch is not at
 * `expectedHead`, nothing is committed and nothing cleared (`REF_CONFLICT`).
 */
export async function commitPending({
  repo,
  pending,
  userId,
  message,
  author,
  paths,
  branch,
  expectedHead,
}: {
  repo: Repository
  pending: PendingStore
  userId: string
  message: string
  author: AuthorInput
  paths?: readonly string[]
  branch?: string
  expectedHead?: string
}): Promise<CommitResult & { paths: string[] }> {
  const rows = await pending.read(repo.repoId, userId, paths)
  if (rows.length === 0)
    throw new NothingToCommitError(`${userId} has no pending changes to commit`)
  // a pending deletion of a path the branch no longer has is already done: it is cleared too
  const changes: FileChange[] = rows.map((r): FileChange =>
    r.content !== null
      ? { path: r.path, action: 'write', content: r.content }
      : { path: r.path, action: 'delete', ifPresent: true },
  )
  const result = await commitOnBranch({
    repo,
    branch,
    expectedHead,
    message,
    author,
    changes,
    async beforeRefUpdate(tx) {
      const cleared = await pending
        .inTransaction(tx.executor)
        .removeVersions(repo.repoId, userId, rows)
      if (cleared !== rows.length)
        throw new ApiError('PENDING_CONFLICT', 'pending changes were saved again while committing')
    },
  }).catch((err: unknown) => {
    if (err instanceof GitPgError && err.code === 'NOTHING_TO_COMMIT')
      throw new NothingToCommitError()
    throw err
  })
  return { ...result, paths: rows.map((r) => r.path) }
}
