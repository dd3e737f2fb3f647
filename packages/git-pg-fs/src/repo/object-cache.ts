import type { GitObject } from '../objects/git-object.ts'
import type { GraphCommit } from '../store/git-store.ts'
import { DEFAULT_CACHE_BUDGET_BYTES, splitCacheBudget } from './cache-budget.ts'

/** The default budget: the object cache's share of a server's default cache budget (128 MiB). */
export const DEFAULT_CACHE_BYTES = splitCacheBudget(DEFAULT_CACHE_BUDGET_BYTES).objects

/**
 * Heap cost of a cached object beyond its content: the object, its oid string, the Buffer view
 * and its backing store, the map key and entry (measured on Node 20: ~270 bytes).
 */
const OBJECT_OVERHEAD = 320

/** A commit-graph node: three hex ids and a parents array, its map entry and key. */
const NODE_BYTES = 400

interface Entry {
  /** null for a commit-graph node, which lives in `parsed` */
  object: GitObject | null
  parsed: unknown
  /** bytes charged to the budget: content, overhead and the parsed form's estimate */
  cost: number
  /** read since it last reached the front of the eviction queue (a second chance) */
  used: boolean
}

/**
 * A least-recently-used cache of immutable git objects, their parsed forms (a tree's entries,
 * a commit) and commit-graph nodes, bounded in bytes: both are charged, the parsed form by the estimate its parser
 * gives. Keys include the repository id so one repository can never be served another's object.
 *
 * @example
 * const cache = new ObjectCache({ maxBytes: 64 * 1024 * 1024 })
 * const repo = await Repository.open({ store, name: 'docs', cache })
 */
export class ObjectCache {
  readonly maxBytes: number
  #bytes = 0
  #map = new Map<string, Entry>()

  constructor({ maxBytes = DEFAULT_CACHE_BYTES }: { maxBytes?: number } = {}) {
    this.maxBytes = maxBytes
  }

  /** Bytes charged now: contents, per-object overhead and parsed forms. */
  get bytes(): number {
    return this.#bytes
  }

  get size(): number {
    return this.#map.size
  }

  get(repoId: number, oid: string): GitObject | undefined {
    return this.#touch(`${repoId}:${oid}`)?.object ?? undefined
  }

  /** A commit's node of the commit graph (immutable like the commit it describes). */
  node(repoId: number, oid: string): GraphCommit | undefined {
    return this.#touch(`${repoId}#${oid}`)?.parsed as GraphCommit | undefined
  }

  setNode(repoId: number, node: GraphCommit): void {
    const key = `${repoId}#${node.oid}`
    if (this.#map.has(key) || NODE_BYTES > this.maxBytes / 8) return
    this.#map.set(key, { object: null, parsed: node, cost: NODE_BYTES, used: false })
    this.#bytes += NODE_BYTES
    this.#evict()
  }

  set(repoId: number, object: GitObject): void {
    const cost = object.content.length + OBJECT_OVERHEAD
    if (cost > this.maxBytes / 8) return
    const key = `${repoId}:${object.oid}`
    if (this.#map.has(key)) return
    const content = ownBuffer(object.content)
    this.#map.set(key, {
      // the caller's object as it is when its content is already its own: no copy of either
      object: content === object.content ? object : { ...object, content },
      parsed: undefined,
      cost,
      used: false,
    })
    this.#bytes += cost
    this.#evict()
  }

  /**
   * A parsed form of a cached object, kept (and charged `sizeOf(value)` bytes) while the object
   * stays cached; an object not in the cache is parsed and not kept.
   */
  parsed<T>(
    repoId: number,
    object: GitObject,
    parse: (o: GitObject) => T,
    sizeOf: (value: T) => number,
  ): T {
    const entry = this.#touch(`${repoId}:${object.oid}`)
    if (entry?.parsed !== undefined) return entry.parsed as T
    const value = parse(object)
    if (entry) {
      const extra = sizeOf(value)
      entry.parsed = value
      entry.cost += extra
      this.#bytes += extra
      this.#evict()
    }
    return value
  }

  #touch(key: string): Entry | undefined {
    const hit = this.#map.get(key)
    if (hit) hit.used = true
    return hit
  }

  /**
   * Evicts in insertion order, but an entry read since it was queued goes to the back instead
   * (CLOCK, an approximation of LRU): a hit only sets a flag, where moving the entry on every
   * read cost a Map delete and insert.
   */
  #evict() {
    while (this.#bytes > this.maxBytes) {
      const [oldKey, old] = this.#map.entries().next().value as [string, Entry]
      this.#map.delete(oldKey)
      if (old.used) {
        old.used = false
        this.#map.set(oldKey, old)
      } else {
        this.#bytes -= old.cost
      }
    }
  }
}

/** Bytes past its content that a cached object's own allocation may have (inflate's one spare). */
const OWN_SLACK = 64

/**
 * Small Buffers decoded from query results share 8 KB pool slabs: keeping one pins its whole slab,
 * so a cache of small objects would hold far more memory than it counts. Cached content gets its
 * own allocation, unless it has one already (give or take a few spare bytes: not a slab).
 */
function ownBuffer(content: Buffer): Buffer {
  if (content.byteOffset === 0 && content.buffer.byteLength <= content.length + OWN_SLACK)
    return content
  const own = Buffer.allocUnsafeSlow(content.length)
  content.copy(own)
  return own
}
