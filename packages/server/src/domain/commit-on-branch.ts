import {
  RefConflictError,
  type AuthorInput,
  type CommitResult,
  type FileChange,
  type GitStore,
  type Repository,
} from '@gitpg/git-pg-fs'
import { ApiError, BranchMovedError } from '../errors.ts'
import { commitTurns } from './commit-turns.ts'
import { checkBranchName } from './ref-names.ts'

/**
 * Commits `changes` on `branch`. With `expectedHead`, the branch must be there when the commit's
 * turn comes (else `REF_CONFLICT` with the current `head`, nothing written). Without it, commits
 * of one branch take turns in the database and each lands on the head it finds, so concurrent
 * writers all land, on any number of server instances; of two writes to one path, the later wins.
 * Within one server they queue in memory first, so a burst holds one database connection.
 * `beforeRefUpdate` runs in the commit's transaction (throw to abort the commit).
 */
export async function commitOnBranch({
  repo,
  branch = repo.defaultBranch,
  expectedHead,
  message,
  author,
  changes,
  beforeRefUpdate,
}: {
  repo: Repository
  branch?: string
  expectedHead?: string
  message: string
  author: AuthorInput
  changes: FileChange[]
  beforeRefUpdate?: (tx: GitStore) => Promise<void>
}): Promise<CommitResult> {
  checkBranchName(branch)
  // the default branch's head was read with the project (the same request, a moment ago)
  const head =
    branch === repo.defaultBranch && repo.defaultHeadAtOpen !== undefined
      ? repo.defaultHeadAtOpen
      : await repo.readRef(`refs/heads/${branch}`)
  if (head === null && branch !== repo.defaultBranch)
    throw new ApiError('BRANCH_NOT_FOUND', `branch ${branch} does not exist`, { branch })
  if (expectedHead !== undefined && expectedHead !== head)
    throw new BranchMovedError({ branch, expected: expectedHead, head })
  const turns = commitTurns(repo.store)
  for (let attempt = 1; ; attempt++) {
    try {
      return await turns.run(`${repo.repoId}:${branch}`, (waited) =>
        repo.commit({
          branch,
          changes,
          message,
          author,
          expectedHead,
          beforeRefUpdate,
          // a commit that waited for its turn reads the head the ones before it left
          head: waited || attempt > 1 ? undefined : head,
        }),
      )
    } catch (err) {
      if (!(err instanceof RefConflictError)) throw err
      const now = await repo.readRef(`refs/heads/${branch}`)
      // the branch was created by a push while the commit waited to create it: go again on it
      if (expectedHead === undefined && head === null && now !== null && attempt < 2) continue
      throw new BranchMovedError({ branch, expected: expectedHead ?? head, head: now })
    }
  }
}
