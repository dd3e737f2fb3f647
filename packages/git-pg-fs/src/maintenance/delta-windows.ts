import type { ObjectType } from '../objects/git-object.ts'

/** An object repack may deltify or use as a base. */
export interface PoolObject {
  oid: string
  type: ObjectType
  path: string
  rank: number
  size: number
  /** whole now, so a candidate (unless the newest version of its path) */
  whole: boolean
}

/**
 * git's `pack_name_hash` of a path's last component: the last characters weigh most, so files
 * named alike (`*.ts`, `Makefile`) sort together.
 */
export function nameHash(path: string): number {
  const name = path.slice(path.lastIndexOf('/') + 1)
  let hash = 0
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) continue
    hash = ((hash >>> 2) + ((c << 24) >>> 0)) >>> 0
  }
  return hash
}

/**
 * The windows repack tries bases in, as git's `pack-objects` does but path first: for each whole
 * object, the newer versions of its path (lower rank), nearest first; and, when none of those
 * gives a delta, its neighbours in git's order (type, name hash, size descending).
 *
 * @example
 * const windows = new DeltaWindows({ pool, window: 10 })
 * for (const x of windows.candidates()) tryBases(x, windows.pathWindow(x))
 */
export class DeltaWindows {
  readonly #window: number
  readonly #byPath = new Map<string, PoolObject[]>()
  readonly #atInPath = new Map<string, number>()
  readonly #similar: PoolObject[]
  readonly #atInSimilar = new Map<string, number>()

  constructor({ pool, window = 10 }: { pool: readonly PoolObject[]; window?: number }) {
    this.#window = window
    for (const o of pool) {
      const key = `${o.type} ${o.path}`
      let list = this.#byPath.get(key)
      if (!list) this.#byPath.set(key, (list = []))
      list.push(o)
    }
    for (const list of this.#byPath.values()) {
      list.sort((a, b) => a.rank - b.rank)
      list.forEach((o, i) => this.#atInPath.set(o.oid, i))
    }
    const hashes = new Map(pool.map((o) => [o.oid, nameHash(o.path)]))
    this.#similar = [...pool].sort(
      (a, b) =>
        a.type.localeCompare(b.type) ||
        hashes.get(a.oid)! - hashes.get(b.oid)! ||
        b.size - a.size ||
        a.rank - b.rank,
    )
    this.#similar.forEach((o, i) => this.#atInSimilar.set(o.oid, i))
  }

  /** Whole objects that are not the newest version of their path, newest first. */
  candidates(): PoolObject[] {
    const out: PoolObject[] = []
    for (const list of this.#byPath.values())
      for (const o of list.slice(1)) if (o.whole) out.push(o)
    return out.sort((a, b) => a.rank - b.rank)
  }

  /** The newer versions of `o`'s path, nearest first. */
  pathWindow(o: PoolObject): PoolObject[] {
    const list = this.#byPath.get(`${o.type} ${o.path}`)!
    const at = this.#atInPath.get(o.oid)!
    return list.slice(Math.max(0, at - this.#window), at).reverse()
  }

  /** `o`'s nearest neighbours of its type in git's order, the larger ones first. */
  similarWindow(o: PoolObject): PoolObject[] {
    const at = this.#atInSimilar.get(o.oid)!
    const out: PoolObject[] = []
    for (let d = 1; d <= this.#window && out.length < this.#window; d++) {
      for (const i of [at - d, at + d]) {
        const n = this.#similar[i]
        if (n && n.type === o.type && out.length < this.#window) out.push(n)
      }
    }
    return out
  }
}
