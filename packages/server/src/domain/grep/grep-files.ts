import { encodePath, type Repository } from '@gitpg/git-pg-fs'
import { ApiError } from '../../errors.ts'
import type { PendingChange } from '../../store/pending-store.ts'
import type { Pathspec } from './pathspec.ts'

/** A file `git grep` would search: its path, its bytes (the sort key) and where its content is. */
export interface GrepFile {
  path: string
  key: Buffer
  oid: string
  /** the user's pending version to read instead of the blob */
  pendingVersion: string | null
  /** the pending version's size (0 for a blob: the store knows it) */
  size: number
}

/** Regular files only, as `git grep <tree>` searches them: not symlinks, not submodules. */
const isRegular = (mode: string) => mode.startsWith('100')

/**
 * The files at `commit` (none when null) that `pathspec` names, with the user's pending changes
 * laid over (a pending version replaces the blob, a pending deletion drops the file, a pending
 * creation is added), in git's order (path bytes). Directories the pathspec cannot reach are
 * not read. More than `limit` files: 422 `LISTING_TOO_LARGE` (narrow it with a path).
 *
 * @example
 * const files = await grepFiles({ repo, commit, pathspec, overlay: [], limit: 200_000 })
 */
export async function grepFiles({
  repo,
  commit,
  pathspec,
  overlay,
  limit,
}: {
  repo: Repository
  commit: string | null
  pathspec: Pathspec
  overlay: readonly PendingChange[]
  limit: number
}): Promise<GrepFile[]> {
  const pending = new Map(overlay.map((p) => [p.path, p]))
  const found: GrepFile[] = []
  const tooMany = () =>
    new ApiError('LISTING_TOO_LARGE', `more than ${limit} files to search: narrow it with a path`, {
      limit,
    })
  let level = commit ? [{ tree: (await repo.reader.commit(commit)).tree, prefix: '' }] : []
  while (level.length > 0) {
    const trees = await repo.reader.trees(new Set(level.map((l) => l.tree)))
    const next: typeof level = []
    for (const l of level) {
      for (const e of trees.get(l.tree)!) {
        const path = l.prefix ? `${l.prefix}/${e.name}` : e.name
        if (e.type === 'tree') {
          if (pathspec.mayHold(encodePath(path))) next.push({ tree: e.oid, prefix: path })
          continue
        }
        if (!isRegular(e.mode) || pending.has(path)) continue
        const key = encodePath(path)
        if (pathspec.matches(key))
          found.push({ path, key, oid: e.oid, pendingVersion: null, size: 0 })
        if (found.length + next.length > limit) throw tooMany()
      }
    }
    level = next
  }
  for (const p of pending.values()) {
    if (p.action === 'deleted' || p.oid === null) continue
    const key = encodePath(p.path)
    if (pathspec.matches(key))
      found.push({ path: p.path, key, oid: p.oid, pendingVersion: p.version, size: p.size })
  }
  if (found.length > limit) throw tooMany()
  return found.sort((a, b) => Buffer.compare(a.key, b.key))
}
