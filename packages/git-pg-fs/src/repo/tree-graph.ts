import { ObjectNotFoundError } from '../errors.ts'
import { OidNumbers } from './oid-numbers.ts'

const NONE = -1
/** marks of `TreeGraph.mark` */
export const REACHABLE_TREE = 1
export const REACHABLE_BLOB = 2

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
  #start = new IntList()
  #end = new IntList()
  /** entry: (number << 1) | 1 for a tree, number << 1 for a blob */
  #entries = new IntList()
  /** per number: REACHABLE_TREE, REACHABLE_BLOB or 0, after `walk` */
  mark = new Uint8Array(0)

  /** Records a stored tree; returns its number. */
  addTree(oid: Uint8Array, content: Buffer): number {
    const n = this.#ids.number(oid, 0)
    this.#start.set(n, this.#entries.length, NONE)
    const len = content.length
    let i = 0
    while (i < len) {
      // mode: "40000" is a tree, "160000" a gitlink (another repository's commit, not sent)
      const tree = content[i] === 0x34
      const gitlink = content[i] === 0x31 && content[i + 1] === 0x36
      while (i < len && content[i] !== 0) i++
      if (i + 21 > len) throw new Error(`malformed tree ${Buffer.from(oid).toString('hex')}`)
      if (!gitlink) this.#entries.push((this.#ids.number(content, i + 1) << 1) | (tree ? 1 : 0))
      i += 21
    }
    this.#end.set(n, this.#entries.length, NONE)
    return n
  }

  /**
   * Lets go of the trees' entries (the graph's largest part, 4 bytes an entry) once `walk` has
   * marked what they reach: ids and marks stay (`find`, `hex`, `raw`, `mark`), so a pack that
   * streams out the marked objects does not hold them too. No tree can be walked after.
   */
  forgetEntries(): void {
    this.#start = new IntList()
    this.#end = new IntList()
    this.#entries = new IntList()
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
