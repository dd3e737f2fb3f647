import { encodePath, type FileEntry, type Repository, type TreeEntry } from '@gitpg/git-pg-fs'
import { ApiError } from '../errors.ts'
import { locateFiles } from './locate-files.ts'

/** `LISTING_TOO_LARGE`: a listing under `prefix` holds more than `limit` files. */
export function listingTooLarge(limit: number, prefix: string): ApiError {
  return new ApiError(
    'LISTING_TOO_LARGE',
    `more than ${limit} files${prefix ? ` under ${prefix}` : ''}: list a narrower prefix`,
    { limit },
  )
}

/**
 * Every file (blob, symlink or submodule entry) under `prefix` at `commit`, in git's order, like
 * `Repository.listFiles`, but refused with 422 `LISTING_TOO_LARGE` as soon as the walk passes
 * `limit` entries: trees can share subtrees, so a small push can describe a listing of billions
 * of paths, and the walk stops before it holds more than `limit` of them.
 *
 * @example
 * const files = await listFiles({ repo, commit, prefix: 'docs', limit: 200_000 })
 */
export async function listFiles({
  repo,
  commit,
  prefix,
  limit,
}: {
  repo: Repository
  commit: string
  prefix: string
  limit: number
}): Promise<FileEntry[]> {
  const root = (await repo.reader.commit(commit)).tree
  const [start] = prefix
    ? await locateFiles(repo.reader, root, [prefix])
    : [{ mode: '40000', name: '', oid: root, type: 'tree' } as TreeEntry]
  if (!start) return []
  const found: { path: string; entry: TreeEntry }[] = []
  if (start.type !== 'tree') found.push({ path: prefix, entry: start })
  let level = start.type === 'tree' ? [{ tree: start.oid, prefix }] : []
  while (level.length > 0) {
    const trees = await repo.reader.trees(new Set(level.map((l) => l.tree)))
    const next: typeof level = []
    for (const l of level) {
      for (const e of trees.get(l.tree)!) {
        const path = l.prefix ? `${l.prefix}/${e.name}` : e.name
        if (e.type === 'tree') next.push({ tree: e.oid, prefix: path })
        else found.push({ path, entry: e })
        // every subtree still to walk holds at least one file
        if (found.length + next.length > limit) throw listingTooLarge(limit, prefix)
      }
    }
    level = next
  }
  // each path encoded once: a comparison that encodes both sides costs two buffers per call
  const keys = new Map(found.map((f) => [f, encodePath(f.path)]))
  found.sort((a, b) => Buffer.compare(keys.get(a)!, keys.get(b)!))
  const blobs = [...new Set(found.filter((f) => f.entry.type === 'blob').map((f) => f.entry.oid))]
  const info = blobs.length > 0 ? await repo.store.readObjectInfo(repo.repoId, blobs) : new Map()
  return found.map(({ path, entry }) => ({
    path,
    oid: entry.oid,
    mode: entry.mode,
    size: info.get(entry.oid)?.size ?? 0,
  }))
}
