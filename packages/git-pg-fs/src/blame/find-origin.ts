import type { GraphCommit } from '../store/git-store.ts'
import type { ObjectReader } from '../repo/object-reader.ts'
import { diffTrees } from '../repo/diff-trees.ts'
import type { BlameOrigin, OriginTable } from './blame-origin.ts'
import type { PathIndex } from './path-index.ts'
import { exactRenameSource, type FileAt, type SimilarRenameFinder } from './rename-source.ts'

export interface OriginSearch {
  reader: ObjectReader
  graph: Map<string, GraphCommit>
  paths: PathIndex
  origins: OriginTable
  similar?: SimilarRenameFinder
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
 * blame's whole-file rename following): a file `parent` holds and the commit deleted, with the
 * same content, else (with `similar`) similar content. Null when the path was not created.
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
  const sources: FileAt[] = changes
    .filter((c) => c.status === 'D' && c.oldMode !== '160000')
    .map((c) => ({ path: c.path, oid: c.oldOid!, mode: c.oldMode! }))
  if (sources.length === 0) return null
  const target: FileAt = { path: origin.path, oid: origin.blob, mode: origin.mode }
  const found =
    exactRenameSource(target, sources) ??
    (search.similar ? await search.similar({ reader: search.reader, target, sources }) : null)
  if (!found) return null
  return search.origins.get({ commit: parent, path: found.path, blob: found.oid, mode: found.mode })
}
