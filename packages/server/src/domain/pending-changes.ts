import { PathConflictError, PathNotFoundError, hashObject, type Repository } from '@gitpg/git-pg-fs'
import { ApiError } from '../errors.ts'
import type { PendingChange, PendingStore } from '../store/pending-store.ts'
import { pathOnBranch, type PathOnBranch } from './path-on-branch.ts'
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
    const message = current
      ? `the pending version of ${path} has changed (now ${current.version}): read it again and send its ETag in If-Match`
      : `${path} has no pending version for If-Match to match: send no If-Match (or If-None-Match: *) to create one`
    super('PRECONDITION_FAILED', message, {
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
 * A save where the branch has a directory at `path`, or a file on its way, is refused with
 * `PATH_CONFLICT` (no commit could take it) unless the user's pending changes clear the way, as
 * in a git work tree: a pending deletion of the file on the way, or of every file in the directory.
 */
async function checkSwap({
  repo,
  pending,
  userId,
  path,
  head,
  found,
}: {
  repo: Repository
  pending: PendingStore
  userId: string
  path: string
  head: string | null
  found: PathOnBranch
}): Promise<void> {
  const deleted = new Set(
    (await pending.list(repo.repoId, userId))
      .filter((c) => c.action === 'deleted')
      .map((c) => c.path),
  )
  if (found.kind === 'underFile') {
    if (deleted.has(found.blocker)) return
    throw new PathConflictError(
      path,
      `cannot be saved: ${found.blocker} is a file on the branch (delete it first)`,
    )
  }
  // the directory is walked only for a user who has deleted files in it
  const mine = [...deleted].filter((p) => p.startsWith(`${path}/`)).length
  if (mine > 0 && head) {
    const under = await repo.listFiles({ ref: head, prefix: path })
    if (under.length <= mine && under.every((f) => deleted.has(f.path))) return
  }
  throw new PathConflictError(
    path,
    'cannot be saved: it is a directory on the branch (delete the files in it first)',
  )
}

/**
 * Autosave: stores the user's uncommitted content for `path`, as `created` or `modified`
 * relative to the default branch. Durable when it returns. A path the branch has as a directory, or
 * under a file, is `PATH_CONFLICT` unless the user's pending deletions clear the way.
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
  const head =
    repo.defaultHeadAtOpen !== undefined ? repo.defaultHeadAtOpen : await branchHead(repo)
  const found = await pathOnBranch(repo, head, path)
  if (found.kind === 'dir' || found.kind === 'underFile')
    await checkSwap({ repo, pending, userId, path, head, found })
  const result = await pending.save({
    repoId: repo.repoId,
    userId,
    path,
    action: found.kind === 'file' || found.kind === 'other' ? 'modified' : 'created',
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
