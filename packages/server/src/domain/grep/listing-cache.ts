/**
 * A regular file of a tree: its path, the path's byte string (git's sort key) and its blob.
 * `pendingVersion: null` and `size: 0` let a search use it as it is, without a copy.
 */
export interface TreeFile {
  path: string
  /** one character per byte of the path (see `byteKey`): sorts in git's order with `<` */
  key: string
  oid: string
  pendingVersion: null
  size: 0
}

/** Default bound: 16 MiB (two listings of 30,000 files); a server sets its share of its budget. */
export const DEFAULT_LISTING_CACHE_BYTES = 16 << 20

/**
 * Heap cost of a listed file past its path's characters (counted twice: the path and its key):
 * the object, its array slot and the id string.
 */
const FILE_OVERHEAD = 160

/** Estimated heap bytes of a listing. */
export function listingBytes(files: readonly TreeFile[]): number {
  let bytes = 0
  for (const f of files) bytes += FILE_OVERHEAD + 2 * f.path.length
  return bytes
}

/**
 * Listings of trees (immutable, so never stale), kept for the next search of the same tree:
 * at most `maxBytes` estimated heap bytes over all listings, the least recently used dropped first.
 *
 * @example
 * const listings = new ListingCache({ maxBytes: 16 << 20 })
 * listings.get(key) ?? listings.set(key, await walk())
 */
export class ListingCache {
  readonly maxBytes: number
  #bytes = 0
  #map = new Map<string, { files: readonly TreeFile[]; bytes: number }>()

  constructor({ maxBytes = DEFAULT_LISTING_CACHE_BYTES }: { maxBytes?: number } = {}) {
    this.maxBytes = maxBytes
  }

  /** Bytes charged now. */
  get bytes(): number {
    return this.#bytes
  }

  get(key: string): readonly TreeFile[] | undefined {
    const hit = this.#map.get(key)
    if (!hit) return undefined
    // most recently used last
    this.#map.delete(key)
    this.#map.set(key, hit)
    return hit.files
  }

  /** Keeps `files` (unless they alone are over the budget) and returns them. */
  set(key: string, files: readonly TreeFile[]): readonly TreeFile[] {
    if (this.#map.has(key)) return files
    const bytes = listingBytes(files)
    if (bytes > this.maxBytes) return files
    this.#map.set(key, { files, bytes })
    this.#bytes += bytes
    for (const [oldest, old] of this.#map) {
      if (this.#bytes <= this.maxBytes) break
      this.#map.delete(oldest)
      this.#bytes -= old.bytes
    }
    return files
  }
}
