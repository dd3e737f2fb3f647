import type { RenameInput } from '../../repo/types.ts'

/** A rename source: the old side of a deletion (or, finding copies, of any pair). */
export interface RenameSource {
  index: number
  path: string
  oid: string
  mode: string
  unmodified: boolean
  /** git's `rename_used`: how many destinations took it (plus one if it stays) */
  used: number
}

/** A rename destination: the new side of a creation, and what was found for it. */
export interface RenameDestination {
  index: number
  path: string
  oid: string
  mode: string
  source: RenameSource | null
  score: number
}

const EMPTY_BLOB = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'

/**
 * git's registration pass: creations become destinations (with `singleFollow`, only that path),
 * deletions become sources, and finding copies every other old side too, marked as staying.
 * Without `renameEmpty`, empty files take no part.
 */
export function registerPairs({
  changes,
  copies,
  singleFollow,
  renameEmpty,
}: {
  changes: readonly RenameInput[]
  copies: boolean
  singleFollow: string | undefined
  renameEmpty: boolean
}): { sources: RenameSource[]; destinations: RenameDestination[]; byIndex: RenameSource[] } {
  const sources: RenameSource[] = []
  const destinations: RenameDestination[] = []
  const byIndex: RenameSource[] = []
  changes.forEach((p, index) => {
    if (p.oldOid === null || p.oldMode === null) {
      if (p.newOid === null || p.newMode === null) return
      if (singleFollow !== undefined && singleFollow !== p.path) return
      if (!renameEmpty && p.newOid === EMPTY_BLOB) return
      destinations.push({
        index,
        path: p.path,
        oid: p.newOid,
        mode: p.newMode,
        source: null,
        score: 0,
      })
      return
    }
    if (!renameEmpty && p.oldOid === EMPTY_BLOB) return
    const deleted = p.newOid === null
    if (!deleted && !copies) return
    const source = {
      index,
      path: p.path,
      oid: p.oldOid,
      mode: p.oldMode,
      unmodified: p.status === 'U',
      used: deleted ? 0 : 1,
    }
    sources.push(source)
    byIndex[index] = source
  })
  return { sources, destinations, byIndex }
}
