import {
  RefConflictError,
  type AuthorInput,
  type CommitResult,
  type FileChange,
  type GitStore,
  type Repository,
} from '@gitpg/git-pg-fs'
import { ApiError, BranchMovedError } from '../errors.ts'
import { checkBranchName } from './ref-names.ts'

const ATTEMPTS = 5

export interface PreparedCommit {
  changes: FileChange[]
  /** extra work in the transaction that moves the branch (throw to abort the commit) */
  beforeRefUpdate?: (tx: GitStore) => Promise<void>
}

/**
 * Commits on `branch`. With `expectedHead`, the branch must be there (else `REF_CONFLICT` with
 * the current `head`, nothing written). Without it, a commit that raced another one is prepared
 * again on the new head, a few times, so concurrent writers to different paths all land.
 */
export async function commitOnBranch({
  repo,
  branch = repo.defaultBranch,
  expectedHead,
  message,
  author,
  prepare,
}: {
  repo: Repository
  branch?: string
  expectedHead?: string
  message: string
  author: AuthorInput
  prepare: (head: string | null) => Promise<PreparedCommit>
}): Promise<CommitResult> {
  checkBranchName(branch)
  for (let attempt = 1; ; attempt++) {
    const head = await repo.readRef(`refs/heads/${branch}`)
    if (head === null && branch !== repo.defaultBranch)
      throw new ApiError('BRANCH_NOT_FOUND', `branch ${branch} does not exist`, { branch })
    if (expectedHead !== undefined && expectedHead !== head)
      throw new BranchMovedError({ branch, expected: expectedHead, head })
    const { changes, beforeRefUpdate } = await prepare(head)
    try {
      return await repo.commit({
        branch,
        changes,
        message,
        author,
        expectedHead: head,
        beforeRefUpdate,
      })
    } catch (err) {
      if (!(err instanceof RefConflictError)) throw err
      if (expectedHead === undefined && attempt < ATTEMPTS) continue
      const now = await repo.readRef(`refs/heads/${branch}`)
      throw new BranchMovedError({ branch, expected: expectedHead ?? head, head: now })
    }
  }
}
