import type { RenameEntry, RenameInput } from '../../repo/types.ts'
import { findInexactRenames, matrixBlobs, matrixSteps } from './inexact-renames.ts'
import { basenamePairs, findBasenameMatches, findExactRenames } from './match-renames.ts'
import { registerPairs, type RenameDestination, type RenameSource } from './rename-tables.ts'
import {
  type BlobSource,
  DEFAULT_RENAME_SCORE,
  Fingerprints,
  isRegular,
  MAX_SCORE,
  sizesCompatible,
} from './similarity.ts'

/** git's default `diff.renameLimit`. */
export const DEFAULT_RENAME_LIMIT = 1000
/** Default bound on the blob bytes one detection reads. */
export const DEFAULT_RENAME_MAX_BYTES = 256 * 1024 * 1024
/** Default bound on the similarity matrix's work: about a second of one core. */
export const DEFAULT_RENAME_MAX_STEPS = 200_000_000

export interface RenameOptions {
  /** find copies too (`-C`, `DIFF_DETECT_COPY`); sources are then every old side given */
  copies?: boolean
  /** `--find-copies-harder`: `U` pairs are given; the limit may drop them instead of all */
  findCopiesHarder?: boolean
  /** only this destination path (`git log --follow`) */
  singleFollow?: string
  /** the threshold, 0–60000 (default 30000, git's 50%) */
  minimumScore?: number
  /** `diff.renameLimit`: above limit² source×destination pairs, no inexact pass; 0: no limit */
  renameLimit?: number
  /** empty files take part (git diff's default) */
  renameEmpty?: boolean
  /** blob bytes the inexact passes may read; past it they are skipped as past the limit */
  maxBytes?: number
  /**
   * work of the similarity matrix (a step a pair, and one a fingerprint bucket it compares);
   * a matrix that would take more is skipped as past the limit, before any of it runs
   */
  maxSteps?: number
}

export interface RenameResult {
  changes: RenameEntry[]
  /** inexact detection was skipped: too many files, too many bytes to read or steps to take */
  limited: boolean
  /** blob bytes read (fingerprints cached from earlier detections cost none) */
  bytesRead: number
  /** steps the similarity matrix took (0 when it was skipped) */
  steps: number
}

/**
 * git's rename (and copy) detection, diffcore-rename.c as in git 2.39, over the pairs of a tree
 * diff in git's order: exact renames first, then (renames only) pairs with the same unique file
 * name at 75%, then the similarity matrix. Renamed deletions leave the result; a rename takes
 * its destination's place. A source used more than once is a copy (`C`) but for its last use,
 * a rename (`R`); a source that stays is always copied.
 *
 * Past `renameLimit`, `maxBytes` or `maxSteps` the matrix is skipped whole, as git skips it past
 * `diff.renameLimit`: exact renames (and same-name matches) stay, the rest are left as added and
 * deleted, and `limited` is true.
 *
 * @example
 * const { changes } = await detectRenames({ changes: diff, blobs: readerBlobs(reader) })
 * // [{ status: 'R', oldPath: 'a.txt', path: 'b.txt', score: 52000, ... }]
 */
export async function detectRenames({
  changes,
  blobs,
  options = {},
}: {
  changes: readonly RenameInput[]
  blobs: BlobSource
  options?: RenameOptions
}): Promise<RenameResult> {
  const copies = options.copies ?? false
  const minimumScore = options.minimumScore || DEFAULT_RENAME_SCORE
  const limit = options.renameLimit ?? DEFAULT_RENAME_LIMIT
  const tables = registerPairs({
    changes,
    copies,
    singleFollow: options.singleFollow,
    renameEmpty: options.renameEmpty ?? true,
  })
  let { sources } = tables
  const { destinations } = tables
  let limited = false
  let steps = 0
  const fingerprints = new Fingerprints({
    source: blobs,
    budget: options.maxBytes ?? DEFAULT_RENAME_MAX_BYTES,
  })
  if (destinations.length > 0 && sources.length > 0) {
    let count = findExactRenames({ sources, destinations, copies })
    if (minimumScore !== MAX_SCORE && count < destinations.length) {
      const regular = (x: { mode: string }) => isRegular(x.mode)
      await fingerprints.loadSizes(
        [...sources, ...destinations.filter((d) => !d.source)].filter(regular).map((x) => x.oid),
      )
      const compatible = (score: number) => (src: RenameSource, dst: RenameDestination) => {
        if (!regular(src) || !regular(dst)) return false
        const a = fingerprints.size(src.oid)
        const b = fingerprints.size(dst.oid)
        return a !== undefined && b !== undefined && sizesCompatible(a, b, score)
      }
      if (!copies) {
        sources = sources.filter((s) => s.used === 0)
        const minBasename = minimumScore + Math.trunc(0.5 * (MAX_SCORE - minimumScore))
        const pairs = basenamePairs(sources, destinations)
        const ok = compatible(minBasename)
        const wanted = pairs.filter(([s, d]) => ok(s, d)).flatMap(([s, d]) => [s.oid, d.oid])
        if (await fingerprints.loadContents(wanted))
          count += findBasenameMatches({ pairs, fingerprints, minimumScore: minBasename })
        else limited = true
        sources = sources.filter((s) => s.used === 0)
      }
      const left = destinations.length - count
      let skipUnmodified = false
      if (
        !limited &&
        left > 0 &&
        sources.length > 0 &&
        limit > 0 &&
        left * sources.length > limit * limit
      ) {
        const modified = sources.filter((s) => !s.unmodified).length
        if (options.findCopiesHarder && left * modified <= limit * limit) skipUnmodified = true
        else limited = true
      }
      if (!limited && left > 0 && sources.length > 0) {
        const wanted = matrixBlobs({
          sources,
          destinations,
          skipUnmodified,
          compatible: compatible(minimumScore),
        })
        const matrix = { sources, destinations, fingerprints, minimumScore, skipUnmodified }
        const maxSteps = options.maxSteps ?? DEFAULT_RENAME_MAX_STEPS
        const counted = (await fingerprints.loadContents(wanted))
          ? matrixSteps({ ...matrix, maxSteps })
          : Infinity
        if (counted > maxSteps) limited = true
        else {
          findInexactRenames({ ...matrix, copies })
          steps = counted
        }
      }
    }
  }
  return {
    changes: writeBack(changes, destinations, tables.byIndex),
    limited,
    bytesRead: fingerprints.bytesRead,
    steps,
  }
}

/** git's write-back, then its `diff_resolve_rename_copy`: the result in the pairs' order. */
function writeBack(
  changes: readonly RenameInput[],
  destinations: readonly RenameDestination[],
  byIndex: readonly RenameSource[],
): RenameEntry[] {
  const renamed = new Map(destinations.filter((d) => d.source).map((d) => [d.index, d]))
  const kept = changes
    .map((p, i) => ({ p, i }))
    .filter(({ p, i }) => p.status !== 'U' && !(p.newOid === null && (byIndex[i]?.used ?? 0) > 0))
  return kept.map(({ p, i }): RenameEntry => {
    const dst = renamed.get(i)
    if (!dst) return { ...p, status: p.status as RenameEntry['status'], oldPath: null, score: null }
    const src = dst.source!
    return {
      path: p.path,
      status: --src.used > 0 ? 'C' : 'R',
      oldPath: src.path,
      oldOid: src.oid,
      newOid: p.newOid,
      oldMode: src.mode,
      newMode: p.newMode,
      score: dst.score,
    }
  })
}
