import { basenameSame, type Fingerprints, MAX_SCORE } from './similarity.ts'
import type { RenameDestination, RenameSource } from './rename-tables.ts'

/** git's `record_rename_pair`. */
export function recordPair(dst: RenameDestination, src: RenameSource, score: number): void {
  src.used++
  dst.source = src
  dst.score = score
}

/**
 * git's exact pass (`find_exact_renames`): each destination, in order, takes a source with the
 * same blob id (and, unless both are regular files, the same mode), preferring one not taken yet
 * and then one with the same file name, the first such in path order; at most 100 candidates
 * are looked at. Without copies a taken source is not looked at again.
 */
export function findExactRenames({
  sources,
  destinations,
  copies,
}: {
  sources: readonly RenameSource[]
  destinations: readonly RenameDestination[]
  copies: boolean
}): number {
  const byOid = new Map<string, RenameSource[]>()
  for (const s of sources) {
    const list = byOid.get(s.oid)
    if (list) list.push(s)
    else byOid.set(s.oid, [s])
  }
  let renames = 0
  for (const dst of destinations) {
    let best: RenameSource | null = null
    let bestScore = -1
    let left = 100
    for (const src of byOid.get(dst.oid) ?? []) {
      const regular = src.mode.startsWith('100') && dst.mode.startsWith('100')
      if (!regular && src.mode !== dst.mode) continue
      if (src.used > 0 && !copies) continue
      const score = (src.used > 0 ? 0 : 1) + (basenameSame(src.path, dst.path) ? 1 : 0)
      if (score > bestScore) {
        best = src
        bestScore = score
        if (score === 2) break
      }
      if (--left === 0) break
    }
    if (best) {
      recordPair(dst, best, MAX_SCORE)
      renames++
    }
  }
  return renames
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1)

/**
 * The pairs git 2.33+ tries first when finding renames only (`find_basename_matches`): a source
 * whose file name no other remaining source has, and a destination whose file name no other
 * remaining destination has.
 */
export function basenamePairs(
  sources: readonly RenameSource[],
  destinations: readonly RenameDestination[],
): [RenameSource, RenameDestination][] {
  const unique = <T>(items: readonly T[], path: (t: T) => string) => {
    const map = new Map<string, T | null>()
    for (const t of items) {
      const base = baseName(path(t))
      map.set(base, map.has(base) ? null : t)
    }
    return map
  }
  const srcs = unique(sources, (s) => s.path)
  const dsts = unique(
    destinations.filter((d) => !d.source),
    (d) => d.path,
  )
  const out: [RenameSource, RenameDestination][] = []
  for (const src of sources) {
    const base = baseName(src.path)
    const dst = dsts.get(base)
    if (!dst || srcs.get(base) !== src) continue
    out.push([src, dst])
  }
  return out
}

/** git's basename pass over pairs from `basenamePairs`, whose blobs are loaded. */
export function findBasenameMatches({
  pairs,
  fingerprints,
  minimumScore,
}: {
  pairs: readonly [RenameSource, RenameDestination][]
  fingerprints: Fingerprints
  minimumScore: number
}): number {
  let renames = 0
  for (const [src, dst] of pairs) {
    if (dst.source) continue
    const score = fingerprints.similarity(src, dst, minimumScore)
    if (score < minimumScore) continue
    recordPair(dst, src, score)
    renames++
  }
  return renames
}
