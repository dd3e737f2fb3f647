import { basenameSame, type Fingerprints } from './similarity.ts'
import type { RenameDestination, RenameSource } from './rename-tables.ts'
import { recordPair } from './match-renames.ts'

/** git keeps the best 4 sources of each destination. */
const CANDIDATES_PER_DST = 4

interface Score {
  src: RenameSource | null
  /** null sinks to the end, as git's `dst < 0` */
  dst: RenameDestination | null
  score: number
  nameScore: number
}

/** git's `score_compare`: higher score first, then the same file name first. */
function compare(a: Score, b: Score): number {
  if (!a.dst) return b.dst ? 1 : 0
  if (!b.dst) return -1
  if (a.score === b.score) return b.nameScore - a.nameScore
  return b.score - a.score
}

/** git's `record_if_better`: replaces the worst of `m` if `o` is strictly better. */
function recordIfBetter(m: Score[], o: Score): void {
  let worst = 0
  for (let i = 1; i < CANDIDATES_PER_DST; i++) if (compare(m[i], m[worst]) > 0) worst = i
  if (compare(m[worst], o) > 0) m[worst] = o
}

/**
 * git's similarity matrix: every destination still unpaired against every source (without
 * `skipUnmodified` sources), the 4 best of each kept, all sorted by score, then paired best
 * first — sources not taken yet, and finding copies a second round with any source. Blobs must
 * be loaded in `fingerprints`.
 */
export function findInexactRenames({
  sources,
  destinations,
  fingerprints,
  minimumScore,
  copies,
  skipUnmodified,
}: {
  sources: readonly RenameSource[]
  destinations: readonly RenameDestination[]
  fingerprints: Fingerprints
  minimumScore: number
  copies: boolean
  skipUnmodified: boolean
}): number {
  const mx: Score[] = []
  for (const dst of destinations) {
    if (dst.source) continue
    const m: Score[] = []
    for (let j = 0; j < CANDIDATES_PER_DST; j++)
      m.push({ src: null, dst: null, score: 0, nameScore: 0 })
    for (const src of sources) {
      if (skipUnmodified && src.unmodified) continue
      recordIfBetter(m, {
        src,
        dst,
        score: fingerprints.similarity(src, dst, minimumScore),
        nameScore: basenameSame(src.path, dst.path) ? 1 : 0,
      })
    }
    mx.push(...m)
  }
  mx.sort(compare)
  let count = 0
  for (const round of copies ? [false, true] : [false]) {
    for (const s of mx) {
      if (!s.dst || !s.src || s.score < minimumScore) break
      if (s.dst.source) continue
      if (!round && s.src.used > 0) continue
      recordPair(s.dst, s.src, s.score)
      count++
    }
  }
  return count
}

/**
 * The steps the matrix would take (`Fingerprints.steps` over its pairs), counted up to `maxSteps`
 * and no further: a result over `maxSteps` means "too many", and counting costs at most that.
 */
export function matrixSteps({
  sources,
  destinations,
  fingerprints,
  minimumScore,
  skipUnmodified,
  maxSteps,
}: {
  sources: readonly RenameSource[]
  destinations: readonly RenameDestination[]
  fingerprints: Fingerprints
  minimumScore: number
  skipUnmodified: boolean
  maxSteps: number
}): number {
  let steps = 0
  for (const dst of destinations) {
    if (dst.source) continue
    for (const src of sources) {
      if (skipUnmodified && src.unmodified) continue
      steps += fingerprints.steps(src, dst, minimumScore)
      if (steps > maxSteps) return steps
    }
  }
  return steps
}

/** Pairs the matrix will compare, to load their blobs first: those of compatible sizes. */
export function matrixBlobs({
  sources,
  destinations,
  skipUnmodified,
  compatible,
}: {
  sources: readonly RenameSource[]
  destinations: readonly RenameDestination[]
  skipUnmodified: boolean
  compatible: (src: RenameSource, dst: RenameDestination) => boolean
}): Set<string> {
  const oids = new Set<string>()
  for (const dst of destinations) {
    if (dst.source) continue
    for (const src of sources) {
      if (skipUnmodified && src.unmodified) continue
      if (!compatible(src, dst)) continue
      oids.add(src.oid)
      oids.add(dst.oid)
    }
  }
  return oids
}
