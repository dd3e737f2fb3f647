import type { GraphCommit } from '../store/git-store.ts'
import type { ObjectReader } from '../repo/object-reader.ts'
import { diffTrees } from '../repo/diff-trees.ts'
import { detectRenames } from '../diff/renames/detect-renames.ts'
import { readerBlobs } from '../diff/renames/reader-blobs.ts'
import type { BlameOrigin, OriginTable } from './blame-origin.ts'
import type { PathIndex } from './path-index.ts'

export interface OriginSearch {
  reader: ObjectReader
  graph: Map<string, GraphCommit>
  paths: PathIndex
  origins: OriginTable
  /** blob bytes one rename search may read to compare contents; past it, no inexact rename */
  renameMaxBytes: number
}

const kind = (mode: string) => (mode.startsWith('100') ? 'file' : mode)

/**
 * The version of `origin`'s path in `parent` (git's `find_origin`): the parent's origin for the
 * same path if there is one; else the parent's blob when the path holds a file of the same kind
 * there; null when the path is absent there, a directory, or a file of another kind (a symlink
 * where a regular file is).
 */
export async function findOrigin(
  search: OriginSearch,
  parent: string,
  origin: BlameOrigin,
): Promise<BlameOrigin | null> {
  const known = search.origins.find(parent, origin.path)
  if (known) return known
  const entry = await search.paths.entry(parent, origin.path)
  if (!entry || entry.type === 'tree' || kind(entry.mode) !== kind(origin.mode)) return null
  return search.origins.get({
    commit: parent,
    path: origin.path,
    blob: entry.oid,
    mode: entry.mode,
  })
}

/**
 * Where `origin`'s file came from when its path was created in the commit (git's `find_rename`,
 * blame's whole-file rename following): git's `-M` over the whole tree diff with the path as the
 * only destination, so an exact rename first, then a file with the same name at 75%, then the
 * most similar at 50%. Null when the path was not created or no deleted file is similar enough.
 */
export async function findRename(
  search: OriginSearch,
  parent: string,
  origin: BlameOrigin,
): Promise<BlameOrigin | null> {
  const entry = await search.paths.entry(parent, origin.path)
  if (entry && entry.type !== 'tree') return null
  const changes = await diffTrees({
    reader: search.reader,
    from: search.graph.get(parent)!.tree,
    to: search.graph.get(origin.commit)!.tree,
  })
  if (!changes.some((c) => c.status === 'D')) return null
  const { changes: renamed } = await detectRenames({
    changes,
    blobs: readerBlobs(search.reader),
    options: { singleFollow: origin.path, maxBytes: search.renameMaxBytes },
  })
  const found = renamed.find(
    (c) => (c.status === 'R' || c.status === 'C') && c.path === origin.path,
  )
  if (!found?.oldPath) return null
  return search.origins.get({
    commit: parent,
    path: found.oldPath,
    blob: found.oldOid!,
    mode: found.oldMode!,
  })
}
