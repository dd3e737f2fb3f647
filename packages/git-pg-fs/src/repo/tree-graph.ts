import { ObjectNotFoundError } from '../errors.ts'

const NONE = -1
/** marks of `TreeGraph.mark` */
export const REACHABLE_TREE = 1
export const REACHABLE_BLOB = 2

const CACHE_SLOTS = 1 << 14

/** The id at `buf[at..at+20)` as five int32 words. */
const word = (buf: Uint8Array, at: number) =>
  buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24)

/**
 * Gives every object id it sees a dense number, in a few flat arrays: ids straight out of tree
 * objects cost no string and no allocation. A table of 6 words a slot (the id, its number) keeps
 * a look-up to one memory access, and a small direct-mapped cache in front of it catches the
 * entries a tree shares with the trees read just before it (most of them).
 */
class OidNumbers {
  /** the id numbered `n` at `n * 20` */
  keys = Buffer.alloc(20 * 1024)
  #table = new Int32Array(6 * 2048).fill(NONE)
  #mask = 2047
  readonly #cache = new Int32Array(6 * CACHE_SLOTS).fill(NONE)
  size = 0

  /** The number of the id at `buf[at..at+20)`, given one if it has none. */
  number(buf: Uint8Array, at: number): number {
    const k0 = word(buf, at)
    const k1 = word(buf, at + 4)
    const cache = this.#cache
    const c = ((k0 >>> 16) & (CACHE_SLOTS - 1)) * 6
    if (cache[c] === k0 && cache[c + 1] === k1) {
      if (
        cache[c + 2] === word(buf, at + 8) &&
        cache[c + 3] === word(buf, at + 12) &&
        cache[c + 4] === word(buf, at + 16)
      )
        return cache[c + 5]
    }
    const n = this.#lookup(buf, at, k0, k1)
    cache[c] = k0
    cache[c + 1] = k1
    cache[c + 2] = word(buf, at + 8)
    cache[c + 3] = word(buf, at + 12)
    cache[c + 4] = word(buf, at + 16)
    cache[c + 5] = n
    return n
  }

  #lookup(buf: Uint8Array, at: number, k0: number, k1: number): number {
    const table = this.#table
    const mask = this.#mask
    for (let i = k0 & mask; ; i = (i + 1) & mask) {
      const s = i * 6
      const n = table[s + 5]
      if (n === NONE) return this.#insert(s, buf, at)
      if (
        table[s] === k0 &&
        table[s + 1] === k1 &&
        table[s + 2] === word(buf, at + 8) &&
        table[s + 3] === word(buf, at + 12) &&
        table[s + 4] === word(buf, at + 16)
      )
        return n
    }
  }

  #insert(s: number, buf: Uint8Array, at: number): number {
    const n = this.size++
    const table = this.#table
    for (let w = 0; w < 5; w++) table[s + w] = word(buf, at + 4 * w)
    table[s + 5] = n
    if (this.keys.length < this.size * 20) {
      const keys = Buffer.alloc(this.keys.length * 2)
      this.keys.copy(keys)
      this.keys = keys
    }
    this.keys.set(buf.subarray(at, at + 20), n * 20)
    if (this.size * 2 > this.#mask) this.#grow()
    return n
  }

  /** The number of the id at `buf[at..at+20)`, or -1. */
  find(buf: Uint8Array, at: number): number {
    const k0 = word(buf, at)
    const table = this.#table
    for (let i = k0 & this.#mask; ; i = (i + 1) & this.#mask) {
      const s = i * 6
      const n = table[s + 5]
      if (n === NONE) return NONE
      if (
        table[s] === k0 &&
        table[s + 1] === word(buf, at + 4) &&
        table[s + 2] === word(buf, at + 8) &&
        table[s + 3] === word(buf, at + 12) &&
        table[s + 4] === word(buf, at + 16)
      )
        return n
    }
  }

  hex(n: number): string {
    return this.keys.toString('hex', n * 20, n * 20 + 20)
  }

  #grow() {
    const old = this.#table
    const slots = (this.#mask + 1) * 2
    const table = new Int32Array(slots * 6).fill(NONE)
    const mask = slots - 1
    for (let s = 0; s < old.length; s += 6) {
      if (old[s + 5] === NONE) continue
      let i = old[s] & mask
      while (table[i * 6 + 5] !== NONE) i = (i + 1) & mask
      table.set(old.subarray(s, s + 6), i * 6)
    }
    this.#table = table
    this.#mask = mask
  }
}

/** A growable Int32Array. */
class IntList {
  data = new Int32Array(1024)
  length = 0

  push(v: number) {
    if (this.length === this.data.length) {
      const data = new Int32Array(this.data.length * 2)
      data.set(this.data)
      this.data = data
    }
    this.data[this.length++] = v
  }

  /** Sets `data[i]`, growing and filling the gap with `fill`. */
  set(i: number, v: number, fill: number) {
    if (i >= this.data.length) {
      let n = this.data.length * 2
      while (n <= i) n *= 2
      const data = new Int32Array(n).fill(fill)
      data.set(this.data)
      this.data = data
    }
    while (this.length <= i) this.data[this.length++] = fill
    this.data[i] = v
  }
}

/**
 * The shape of a repository's trees, compactly: each tree's entries as numbers (4 bytes an entry,
 * where the trees themselves take ~45), so the trees of a whole history can be walked without
 * holding them. Trees are added in any order; `walk` then marks what a set of root trees reach.
 *
 * @example
 * const graph = new TreeGraph()
 * for (const t of trees) graph.addTree(Buffer.from(t.oid, 'hex'), t.content)
 * const { trees, blobs } = graph.walk(rootTrees)
 */
export class TreeGraph {
  readonly #ids = new OidNumbers()
  /** per tree number: where its entries start in #entries (NONE: not a stored tree) */
  readonly #start = new IntList()
  readonly #end = new IntList()
  /** entry: (number << 1) | 1 for a tree, number << 1 for a blob */
  readonly #entries = new IntList()
  /** per tree number: `nameKey` */
  readonly #names = new IntList()
  /** per number: REACHABLE_TREE, REACHABLE_BLOB or 0, after `walk` */
  mark = new Uint8Array(0)

  /** Records a stored tree; returns its number. */
  addTree(oid: Uint8Array, content: Buffer): number {
    const n = this.#ids.number(oid, 0)
    this.#start.set(n, this.#entries.length, NONE)
    const len = content.length
    let names = len
    let i = 0
    while (i < len) {
      // mode: "40000" is a tree, "160000" a gitlink (another repository's commit, not sent)
      const tree = content[i] === 0x34
      const gitlink = content[i] === 0x31 && content[i + 1] === 0x36
      for (; i < len && content[i] !== 0; i++) names = (Math.imul(names, 31) + content[i]) | 0
      names = Math.imul(names, 31) | 0
      if (i + 21 > len) throw new Error(`malformed tree ${Buffer.from(oid).toString('hex')}`)
      if (!gitlink) this.#entries.push((this.#ids.number(content, i + 1) << 1) | (tree ? 1 : 0))
      i += 21
    }
    this.#end.set(n, this.#entries.length, NONE)
    this.#names.set(n, names, 0)
    return n
  }

  /**
   * A hash of a stored tree's modes and names (and length): trees sharing it are most likely
   * versions of one directory, differing only in the ids of some entries.
   */
  nameKey(n: number): number {
    return this.#names.data[n]
  }

  /** The number of an id (hex), given one if it has none. */
  number(hex: string): number {
    return this.#ids.number(Buffer.from(hex, 'hex'), 0)
  }

  /** The number of a raw id seen so far, or -1. */
  find(oid: Uint8Array): number {
    return this.#ids.find(oid, 0)
  }

  hex(n: number): string {
    return this.#ids.hex(n)
  }

  /** The id numbered `n`, 20 bytes. */
  raw(n: number): Buffer {
    return this.#ids.keys.subarray(n * 20, n * 20 + 20)
  }

  /**
   * Marks every tree and blob reachable from the `trees` numbers (and the `blobs` themselves);
   * throws `ObjectNotFoundError` for a tree that is not stored.
   */
  walk(trees: readonly number[], blobs: readonly number[] = []): { trees: number; blobs: number } {
    const mark = new Uint8Array(this.#ids.size)
    const start = this.#start
    const end = this.#end.data
    const entries = this.#entries.data
    let treeCount = 0
    let blobCount = 0
    for (const b of blobs) {
      if (mark[b] === 0) blobCount++
      mark[b] = REACHABLE_BLOB
    }
    const stack: number[] = []
    for (const t of trees) {
      if (mark[t] !== 0) continue
      mark[t] = REACHABLE_TREE
      treeCount++
      stack.push(t)
    }
    while (stack.length > 0) {
      const t = stack.pop()!
      const from = t < start.length ? start.data[t] : NONE
      if (from === NONE) throw new ObjectNotFoundError(this.hex(t))
      for (let e = from, stop = end[t]; e < stop; e++) {
        const entry = entries[e]
        const n = entry >>> 1
        if (mark[n] !== 0) continue
        if (entry & 1) {
          mark[n] = REACHABLE_TREE
          treeCount++
          stack.push(n)
        } else {
          mark[n] = REACHABLE_BLOB
          blobCount++
        }
      }
    }
    this.mark = mark
    return { trees: treeCount, blobs: blobCount }
  }
}
