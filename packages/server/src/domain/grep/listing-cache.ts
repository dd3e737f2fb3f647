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

/**
 * Listings of trees (immutable, so never stale), kept for the next search of the same tree:
 * at most `maxFiles` files over all listings, the oldest listing dropped first.
 *
 * @example
 * const listings = new ListingCache({ maxFiles: 500_000 })
 * listings.get(key) ?? listings.set(key, await walk())
 */
export class ListingCache {
  readonly maxFiles: number
  #files = 0
  #map = new Map<string, readonly TreeFile[]>()

  constructor({ maxFiles }: { maxFiles: number }) {
    this.maxFiles = maxFiles
  }

  get(key: string): readonly TreeFile[] | undefined {
    const hit = this.#map.get(key)
    if (hit) {
      // most recently used last
      this.#map.delete(key)
      this.#map.set(key, hit)
    }
    return hit
  }

  /** Keeps `files` (unless they alone are over the budget) and returns them. */
  set(key: string, files: readonly TreeFile[]): readonly TreeFile[] {
    if (files.length > this.maxFiles || this.#map.has(key)) return files
    this.#map.set(key, files)
    this.#files += files.length
    while (this.#files > this.maxFiles) {
      const [oldest, old] = this.#map.entries().next().value as [string, readonly TreeFile[]]
      this.#map.delete(oldest)
      this.#files -= old.length
    }
    return files
  }
}
