import type { FileEntry, Repository } from '@gitpg/git-pg-fs'
import { ApiError } from '../errors.ts'
import type { PendingChange, PendingStore } from '../store/pending-store.ts'
import { listFiles, listingTooLarge } from './list-files.ts'
import { inScope, overlayPending } from './pending-overlay.ts'

/** A file of a user's own view: committed, or the user's pending version (`pending: true`). */
export interface UserFile extends FileEntry {
  pending: boolean
}

/**
 * The user's pending changes, in path order: at most `limit` of them, else `LISTING_TOO_LARGE`,
 * so that one user's many autosaves cannot make a request hold more than a listing would.
 */
export async function pendingRows({
  repo,
  pending,
  userId,
  limit,
}: {
  repo: Repository
  pending: PendingStore
  userId: string
  limit: number
}): Promise<PendingChange[]> {
  const rows = await pending.list(repo.repoId, userId, { limit: limit + 1 })
  if (rows.length > limit)
    throw new ApiError(
      'LISTING_TOO_LARGE',
      `${userId} has more than ${limit} pending changes: commit or discard some first`,
      { limit },
    )
  return rows
}

/**
 * The files under `prefix` at `commit` (null: no commit yet) with the user's pending changes
 * laid over, as `overlayPending` lays them: what a work tree holding those changes would list.
 * Bounded like `listFiles`: past `limit` files (committed, pending or both),
 * `LISTING_TOO_LARGE`.
 *
 * @example
 * const files = await listUserFiles({ repo, pending, userId: 'ada', commit, prefix: '', limit })
 */
export async function listUserFiles({
  repo,
  pending,
  userId,
  commit,
  prefix,
  limit,
}: {
  repo: Repository
  pending: PendingStore
  userId: string
  commit: string | null
  prefix: string
  limit: number
}): Promise<UserFile[]> {
  const [committed, rows] = await Promise.all([
    commit ? listFiles({ repo, commit, prefix, limit }) : Promise.resolve([]),
    pendingRows({ repo, pending, userId, limit }),
  ])
  // a pending file at a directory on the way to `prefix` hides everything under it
  const relevant = rows.filter(
    (r) => inScope(r.path, prefix) || (r.oid !== null && inScope(prefix, r.path)),
  )
  const files = overlayPending(
    committed.map((f) => ({ ...f, pending: false })),
    relevant,
  ).filter((f) => inScope(f.path, prefix))
  if (files.length > limit) throw listingTooLarge(limit, prefix)
  return files
}
