import type { ObjectReader } from '../repo/object-reader.ts'

/** A file of a tree: where it is and what it holds. */
export interface FileAt {
  path: string
  oid: string
  mode: string
}

/**
 * Finds where a file created by a commit came from among the files the commit deleted, by
 * content similarity (git's `-M`, 50% by default); null when none is similar enough. Exact
 * renames (same blob) are found before this is asked.
 */
export type SimilarRenameFinder = (args: {
  reader: ObjectReader
  target: FileAt
  sources: readonly FileAt[]
}) => Promise<FileAt | null>

const isRegular = (mode: string) => mode.startsWith('100')

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1)

/**
 * The source of an exact rename as git's `find_identical_files` picks it: the same blob (and
 * the same mode unless both are regular files), a source with the same file name preferred,
 * else the first in path order. `sources` are in git's path order.
 *
 * @example
 * exactRenameSource({ path: 'b/x.ts', oid, mode: '100644' }, deleted) // the deleted 'a/x.ts'
 */
export function exactRenameSource(target: FileAt, sources: readonly FileAt[]): FileAt | null {
  let best: FileAt | null = null
  for (const s of sources) {
    if (s.oid !== target.oid) continue
    if ((!isRegular(s.mode) || !isRegular(target.mode)) && s.mode !== target.mode) continue
    if (basename(s.path) === basename(target.path)) return s
    best ??= s
  }
  return best
}
