import {
  detectRenames,
  type RenameOptions,
  type RenameResult,
} from '../diff/renames/detect-renames.ts'
import { readerBlobs } from '../diff/renames/reader-blobs.ts'
import { diffTrees } from './diff-trees.ts'
import type { ObjectReader } from './object-reader.ts'
import { byPathBytes, walkTree } from './tree-walk.ts'
import type { RenameInput } from './types.ts'

/**
 * Compares two trees like `git diff -M --name-status` (`-C` with `options.copies`): the tree
 * diff, then git's rename detection over it. With `options.findCopiesHarder`, every unchanged
 * file of `from` is a copy source too, as `--find-copies-harder` (and `git log --follow`) does.
 *
 * @example
 * const { changes } = await diffRenames({ reader, from: parentTree, to: tree })
 */
export async function diffRenames({
  reader,
  from,
  to,
  paths = [],
  options = {},
}: {
  reader: ObjectReader
  from: string | null
  to: string | null
  paths?: readonly (readonly string[])[]
  options?: RenameOptions
}): Promise<RenameResult> {
  let changes: RenameInput[] = await diffTrees({ reader, from, to, paths })
  if (options.findCopiesHarder && from && paths.length === 0) {
    const changed = new Set(changes.filter((c) => c.oldOid !== null).map((c) => c.path))
    const unmodified: RenameInput[] = (await walkTree(reader, from, ''))
      .filter((f) => f.entry.type !== 'tree' && !changed.has(f.path))
      .map((f) => ({
        path: f.path,
        status: 'U',
        oldOid: f.entry.oid,
        newOid: f.entry.oid,
        oldMode: f.entry.mode,
        newMode: f.entry.mode,
      }))
    changes = byPathBytes([...changes, ...unmodified])
  }
  return detectRenames({ changes, blobs: readerBlobs(reader), options })
}
