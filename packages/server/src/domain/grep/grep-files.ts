import type { Repository, TreeEntry } from '@gitpg/git-pg-fs'
import { ApiError } from '../../errors.ts'
import type { PendingChange } from '../../store/pending-store.ts'
import type { ListingCache, TreeFile } from './listing-cache.ts'
import { byteKey, type Pathspec } from './pathspec.ts'

/** A file `git grep` would search: its path, its bytes (the sort key) and where its content is. */
export interface GrepFile {
  path: string
  /** one character per byte of the path (see `byteKey`): sorts in git's order with `<` */
  key: string
  oid: string
  /** the user's pending version to read instead of the blob */
  pendingVersion: string | null
  /** the pending version's size (0 for a blob: the store knows it) */
  size: number
}

/** Regular files only, as `git grep <tree>` searches them: not symlinks, not submodules. */
const isRegular = (mode: string) => mode.startsWith('100')

const byKey = (a: { key: string }, b: { key: string }) =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : 0

const tooMany = (limit: number) =>
  new ApiError('LISTING_TOO_LARGE', `more than ${limit} files to search: narrow it with a path`, {
    limit,
  })

interface Level {
  tree: string
  prefix: string
}

/**
 * The regular files of `tree` in directories the pathspec may reach, in git's order (path
 * bytes): one batched read of trees per directory level.
 */
async function walkTree(
  repo: Repository,
  tree: string,
  pathspec: Pathspec,
  limit: number,
): Promise<TreeFile[]> {
  const found: TreeFile[] = []
  let level: Level[] = [{ tree, prefix: '' }]
  while (level.length > 0) {
    // the trees of a level the cache lacks come with their delta chains in one query: a walk
    // that reads trees finds few of their bases cached either
    const trees = await repo.reader.trees(new Set(level.map((l) => l.tree)), { chains: true })
    level = listLevel({ level, trees, pathspec, found, limit })
  }
  return found.sort(byKey)
}

/**
 * One level of `walkTree`: the files of its trees go into `found`; returns the next level (out
 * of the async function, where V8 would compile its loops at great cost: see `resolveRows`).
 */
function listLevel({
  level,
  trees,
  pathspec,
  found,
  limit,
}: {
  level: Level[]
  trees: Map<string, TreeEntry[]>
  pathspec: Pathspec
  found: TreeFile[]
  limit: number
}): Level[] {
  const next: Level[] = []
  for (const l of level) {
    for (const e of trees.get(l.tree)!) {
      const path = l.prefix ? `${l.prefix}/${e.name}` : e.name
      if (e.type === 'tree') {
        if (pathspec.mayHold(byteKey(path))) next.push({ tree: e.oid, prefix: path })
      } else if (isRegular(e.mode))
        found.push({ path, key: byteKey(path), oid: e.oid, pendingVersion: null, size: 0 })
      if (found.length + next.length > limit) throw tooMany(limit)
    }
  }
  return next
}

/**
 * The files at `commit` (none when null) that `pathspec` names, with the user's pending changes
 * laid over (a pending version replaces the blob, a pending deletion drops the file, a pending
 * creation is added), in git's order (path bytes). Directories the pathspec cannot reach are
 * not read; a tree's listing is kept in `listings` for the next search. More than `limit` files:
 * 422 `LISTING_TOO_LARGE` (narrow it with a path).
 *
 * @example
 * const files = await grepFiles({ repo, commit, pathspec, overlay: [], limit: 200_000, listings })
 */
export async function grepFiles({
  repo,
  commit,
  pathspec,
  overlay,
  limit,
  listings,
}: {
  repo: Repository
  commit: string | null
  pathspec: Pathspec
  overlay: readonly PendingChange[]
  limit: number
  listings: ListingCache
}): Promise<GrepFile[]> {
  const pending = new Map(overlay.map((p) => [p.path, p]))
  let listed: readonly TreeFile[] = []
  if (commit) {
    const tree = (await repo.reader.commit(commit)).tree
    const key = `${repo.repoId}:${tree}:${pathspec.literal}`
    listed = listings.get(key) ?? listings.set(key, await walkTree(repo, tree, pathspec, limit))
  }
  const found: GrepFile[] = listed.filter((f) => !pending.has(f.path) && pathspec.matches(f.key))
  let added = false
  for (const p of pending.values()) {
    if (p.action === 'deleted' || p.oid === null) continue
    const key = byteKey(p.path)
    if (!pathspec.matches(key)) continue
    found.push({ path: p.path, key, oid: p.oid, pendingVersion: p.version, size: p.size })
    added = true
  }
  if (found.length > limit) throw tooMany(limit)
  return added ? found.sort((a, b) => byKey(a, b)) : found
}
