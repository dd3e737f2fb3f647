import { SpanCache } from './span-cache.ts'
import { copiedBytes, spanCounts, type SpanCounts } from './span-counts.ts'

/** git's full score: an exact rename. Percentages are `score * 100 / MAX_SCORE`, rounded down. */
export const MAX_SCORE = 60000
/** git's default `-M` threshold, 50%. */
export const DEFAULT_RENAME_SCORE = 30000

/** Reads blob sizes and contents for rename detection. */
export interface BlobSource {
  sizes(oids: readonly string[]): Promise<Map<string, number>>
  read(oids: readonly string[]): Promise<Map<string, Uint8Array>>
}

/** Regular files only are compared by content (symlinks and submodules rename only exactly). */
export const isRegular = (mode: string) => mode.startsWith('100')

/**
 * git's cheap size test: a pair whose sizes differ by more than the score allows is never
 * compared.
 */
export function sizesCompatible(a: number, b: number, minimumScore: number): boolean {
  const max = Math.max(a, b)
  const delta = max - Math.min(a, b)
  return !(max * (MAX_SCORE - minimumScore) < delta * MAX_SCORE)
}

/**
 * Sizes and fingerprints of the blobs rename detection compares, read in batches; a fingerprint
 * is kept instead of the content. `budget` bounds the content bytes read in all.
 */
export class Fingerprints {
  readonly #source: BlobSource
  readonly #sizes = new Map<string, number>()
  readonly #spans = new Map<string, SpanCounts>()
  #budget: number
  #read = 0

  constructor({ source, budget }: { source: BlobSource; budget: number }) {
    this.#source = source
    this.#budget = budget
  }

  async loadSizes(oids: Iterable<string>): Promise<void> {
    const missing = [...new Set(oids)].filter((o) => !this.#sizes.has(o))
    for (let i = 0; i < missing.length; i += 1000) {
      const found = await this.#source.sizes(missing.slice(i, i + 1000))
      for (const [oid, size] of found) this.#sizes.set(oid, size)
    }
  }

  /** Content bytes read so far. */
  get bytesRead(): number {
    return this.#read
  }

  size(oid: string): number | undefined {
    return this.#sizes.get(oid)
  }

  /**
   * Reads the contents of `oids` (sizes loaded first) and keeps their fingerprints. False, and
   * nothing read, when they would pass what is left of the budget.
   */
  async loadContents(oids: Iterable<string>): Promise<boolean> {
    const missing: string[] = []
    for (const oid of new Set(oids)) {
      if (this.#spans.has(oid)) continue
      const known = SpanCache.shared.get(oid)
      if (known) this.#spans.set(oid, known)
      else missing.push(oid)
    }
    const total = missing.reduce((n, o) => n + (this.#sizes.get(o) ?? 0), 0)
    if (total > this.#budget) return false
    this.#budget -= total
    this.#read += total
    let batch: string[] = []
    let bytes = 0
    const flush = async () => {
      const found = await this.#source.read(batch)
      for (const [oid, content] of found) {
        const spans = spanCounts(content)
        this.#spans.set(oid, spans)
        SpanCache.shared.set(oid, spans)
      }
      batch = []
      bytes = 0
    }
    for (const oid of missing) {
      batch.push(oid)
      bytes += this.#sizes.get(oid) ?? 0
      if (bytes >= 8 << 20 || batch.length >= 500) await flush()
    }
    if (batch.length > 0) await flush()
    return true
  }

  /**
   * Steps `similarity` takes for this pair: 1, plus the buckets of both fingerprints it walks
   * when it compares contents.
   */
  steps(
    src: { oid: string; mode: string },
    dst: { oid: string; mode: string },
    minimumScore: number,
  ): number {
    if (!isRegular(src.mode) || !isRegular(dst.mode)) return 1
    const a = this.#sizes.get(src.oid)
    const b = this.#sizes.get(dst.oid)
    if (a === undefined || b === undefined || !sizesCompatible(a, b, minimumScore)) return 1
    const sa = this.#spans.get(src.oid)
    const sb = this.#spans.get(dst.oid)
    return sa && sb ? 1 + sa.hashes.length + sb.hashes.length : 1
  }

  /**
   * git's `estimate_similarity`: 0 to MAX_SCORE, how much of the larger side came from `src`;
   * 0 for anything but two regular files of compatible sizes.
   */
  similarity(
    src: { oid: string; mode: string },
    dst: { oid: string; mode: string },
    minimumScore: number,
  ): number {
    if (!isRegular(src.mode) || !isRegular(dst.mode)) return 0
    const a = this.#sizes.get(src.oid)
    const b = this.#sizes.get(dst.oid)
    if (a === undefined || b === undefined || !sizesCompatible(a, b, minimumScore)) return 0
    const sa = this.#spans.get(src.oid)
    const sb = this.#spans.get(dst.oid)
    if (!sa || !sb || b === 0) return 0
    return Math.floor((copiedBytes(sa, sb) * MAX_SCORE) / Math.max(a, b))
  }
}

/** git's `basename_same`: whether the two paths end in the same file name. */
export function basenameSame(src: string, dst: string): boolean {
  let i = src.length
  let j = dst.length
  while (i > 0 && j > 0) {
    const c = src[--i]
    if (c !== dst[--j]) return false
    if (c === '/') return true
  }
  return (i === 0 || src[i - 1] === '/') && (j === 0 || dst[j - 1] === '/')
}
