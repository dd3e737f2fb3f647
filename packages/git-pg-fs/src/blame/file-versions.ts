import type { ObjectReader } from '../repo/object-reader.ts'
import { tooLarge, type BlameLimits } from './blame-limits.ts'
import { countLines } from './line-range.ts'
import type { PathIndex } from './path-index.ts'

/** Versions of the file read in one round trip, while they are at most PREFETCH_MAX_BYTES. */
const PREFETCH = 32
const PREFETCH_MAX_BYTES = 256 * 1024

/**
 * The contents of the versions of a file a blame diffs, each checked against the limits on
 * bytes and lines. Small versions are read in batches (into the object cache): one round trip
 * for the next 32 versions found at the path instead of one each.
 *
 * @example
 * const versions = new FileVersions({ reader, paths, limits })
 * const content = await versions.content({ path: 'src/app.ts', blob: oid })
 */
export class FileVersions {
  readonly #reader: ObjectReader
  readonly #paths: PathIndex
  readonly #limits: BlameLimits
  readonly #uncommitted: { oid: string; content: Buffer } | undefined
  readonly #fetched = new Set<string>()
  #small = true
  /** line counts of versions with more bytes than the line limit (they may have too many) */
  readonly #lineCounts = new Map<string, number>()

  constructor({
    reader,
    paths,
    limits,
    uncommitted,
  }: {
    reader: ObjectReader
    paths: PathIndex
    limits: BlameLimits
    /** a version that is not stored (a user's pending content) */
    uncommitted?: { oid: string; content: Buffer }
  }) {
    this.#reader = reader
    this.#paths = paths
    this.#limits = limits
    this.#uncommitted = uncommitted
  }

  async content({ path, blob }: { path: string; blob: string }): Promise<Buffer> {
    let content: Buffer
    if (this.#uncommitted?.oid === blob) content = this.#uncommitted.content
    else {
      await this.#prefetch(path, blob)
      content = (await this.#reader.read(blob, 'blob')).content
    }
    const { maxBytes, maxLines } = this.#limits
    if (content.length > maxBytes)
      throw tooLarge({ path, size: content.length, limit: maxBytes, unit: 'bytes' })
    if (content.length > maxLines && !this.#lineCounts.has(blob))
      this.#lineCounts.set(blob, countLines(content))
    const lines = this.#lineCounts.get(blob) ?? 0
    if (lines > maxLines) throw tooLarge({ path, size: lines, limit: maxLines, unit: 'lines' })
    return content
  }

  async #prefetch(path: string, blob: string): Promise<void> {
    const reader = this.#reader
    if (this.#fetched.has(blob) || reader.cache.get(reader.repoId, blob)) return
    const batch = [blob]
    for (const oid of this.#small ? this.#paths.blobsAt(path) : []) {
      if (batch.length >= PREFETCH) break
      if (!this.#fetched.has(oid) && oid !== blob) batch.push(oid)
    }
    for (const oid of batch) this.#fetched.add(oid)
    const found = await reader.readMany(batch)
    this.#small = [...found.values()].every((o) => o.content.length <= PREFETCH_MAX_BYTES)
  }
}
