import { PathNotFoundError, hashObject, type Repository } from '@gitpg/git-pg-fs'
import { ApiError } from '../errors.ts'
import type { PendingChange, PendingStore } from '../store/pending-store.ts'
import { branchHead } from './projects.ts'
import { checkSpecialFile } from './special-files.ts'

export interface Precondition {
  /** the pending version the caller last saw (`If-Match`), or '*' for "some version" */
  ifMatch?: string
  /** the caller expects no pending version yet (`If-None-Match: *`) */
  ifNoneMatch?: boolean
}

/** Another save came first: `currentVersion` is the version there now (null: none). */
export class PreconditionFailedError extends ApiError {
  constructor(path: string, current: PendingChange | null) {
    super('PRECONDITION_FAILED', `the pending version of ${path} has changed`, {
      path,
      currentVersion: current?.version ?? null,
    })
  }
}

/**
 * Which of `paths` exist on the project's default branch, at the head read when the project was
 * opened for this request (in the same query), or read now.
 */
async function existingOnBranch(repo: Repository, paths: readonly string[]): Promise<Set<string>> {
  const head =
    repo.defaultHeadAtOpen !== undefined ? repo.defaultHeadAtOpen : await branchHead(repo)
  if (!head) return new Set()
  const { files } = await repo.readFiles({ ref: head, paths })
  return new Set(files.map((f) => f.path))
}

/**
 * Autosave: stores the user's uncommitted content for `path`, as `created` or `modified`
 * relative to the default branch. Durable when it returns.
 */
export async function savePending({
  repo,
  pending,
  userId,
  path,
  content,
  ...precondition
}: {
  repo: Repository
  pending: PendingStore
  userId: string
  path: string
  content: Buffer
} & Precondition): Promise<PendingChange> {
  checkSpecialFile({ path, content })
  const exists = (await existingOnBranch(repo, [path])).has(path)
  const result = await pending.save({
    repoId: repo.repoId,
    userId,
    path,
    action: exists ? 'modified' : 'created',
    content,
    oid: hashObject('blob', content),
    ...precondition,
  })
  if (!result.saved) throw new PreconditionFailedError(path, result.current)
  return result.change
}

/**
 * Records that the user deleted `path`. A path that exists only as the user's pending creation
 * is simply discarded (returns null); a path that exists nowhere is `PATH_NOT_FOUND`.
 */
export async function recordPendingDeletion({
  repo,
  pending,
  userId,
  path,
  ...precondition
}: {
  repo: Repository
  pending: PendingStore
  userId: string
  path: string
} & Precondition): Promise<PendingChange | null> {
  if (!(await existingOnBranch(repo, [path])).has(path)) {
    const [current] = await pending.read(repo.repoId, userId, [path])
    if (!current) throw new PathNotFoundError(path)
    const stale =
      precondition.ifNoneMatch ||
      (precondition.ifMatch &&
        precondition.ifMatch !== '*' &&
        precondition.ifMatch !== current.version)
    if (stale) throw new PreconditionFailedError(path, current)
    const removed = await pending.removeVersions(repo.repoId, userId, [current])
    if (removed === 0) throw new PreconditionFailedError(path, null)
    return null
  }
  const result = await pending.save({
    repoId: repo.repoId,
    userId,
    path,
    action: 'deleted',
    content: null,
    oid: null,
    ...precondition,
  })
  if (!result.saved) throw new PreconditionFailedError(path, result.current)
  return result.change
}
