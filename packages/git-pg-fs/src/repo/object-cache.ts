import type { GitObject } from '../objects/git-object.ts'

/**
 * A least-recently-used cache of immutable git objects, bounded in bytes. Keys include the
 * repository id so one repository can never be served another's object.
 */
export class ObjectCache {
  readonly maxBytes: number
  #bytes = 0
  #map = new Map<string, GitObject>()
  #parsed = new Map<string, unknown>()

  constructor({ maxBytes = 256 * 1024 * 1024 }: { maxBytes?: number } = {}) {
    this.maxBytes = maxBytes
  }

  get bytes(): number {
    return this.#bytes
  }

  get(repoId: number, oid: string): GitObject | undefined {
    const key = `${repoId}:${oid}`
    const hit = this.#map.get(key)
    if (hit) {
      this.#map.delete(key)
      this.#map.set(key, hit)
    }
    return hit
  }

  set(repoId: number, object: GitObject): void {
    const size = object.content.length + 100
    if (size > this.maxBytes / 8) return
    const key = `${repoId}:${object.oid}`
    if (this.#map.has(key)) return
    this.#map.set(key, object)
    this.#bytes += size
    while (this.#bytes > this.maxBytes) {
      const [oldKey, old] = this.#map.entries().next().value as [string, GitObject]
      this.#map.delete(oldKey)
      this.#parsed.delete(oldKey)
      this.#bytes -= old.content.length + 100
    }
  }

  /** A parsed form of a cached object (a tree's entries, a commit), dropped with the object. */
  parsed<T>(repoId: number, object: GitObject, parse: (o: GitObject) => T): T {
    const key = `${repoId}:${object.oid}`
    const hit = this.#parsed.get(key)
    if (hit !== undefined) return hit as T
    const value = parse(object)
    if (this.#map.has(key)) this.#parsed.set(key, value)
    return value
  }
}
