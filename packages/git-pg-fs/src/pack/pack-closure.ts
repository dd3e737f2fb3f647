import type { TreeEntryAt } from '../fsck/fsck-tree.ts'
import type { GitObject } from '../objects/git-object.ts'

/**
 * Follows, while a pack is read, which objects it holds and which ids its objects point at, so
 * that an import can tell that the pack alone holds the whole history of its tips (git's
 * `index-pack --check-self-contained-and-connected`) and skip walking that history in the
 * database. A tree names the same ids over and over (a commit's tree shares most entries with its
 * parent's), so an id pointed at is recognised by its first 64 bits, read straight from the
 * tree's bytes into an open-addressing table, and kept whole only the first time: no string or
 * number object is made per tree entry. (An id sharing 64 bits with another takes about 2^64
 * hashes to make.)
 *
 * @example
 * const closure = new PackClosure()
 * for (const o of objects) closure.add(o)
 * if (!closure.holds(tips)) await checkConnected({ store, repoId, tips })
 */
export class PackClosure {
  readonly #held = new Set<string>()
  /** first 64 bits of the ids pointed at, as pairs of words; 0,0 marks a free slot */
  #table = new Uint32Array(2 * 4096)
  #count = 0
  #zero = false
  readonly #wanted: string[] = []
  #malformed = false

  add(o: GitObject): void {
    this.#held.add(o.oid)
    const c = o.content
    if (o.type === 'tree') {
      let i = 0
      while (i < c.length) {
        // scanned by hand: `indexOf`'s call costs more than a short mode or name
        let space = i
        while (space < c.length && c[space] !== 0x20) space++
        let nul = space + 1
        while (nul < c.length && c[nul] !== 0) nul++
        if (space >= c.length || nul >= c.length || nul + 21 > c.length) {
          this.#malformed = true
          return
        }
        // gitlinks (mode 160000) point into other repositories
        if (!(c[i] === 0x31 && c[i + 1] === 0x36)) this.#want(c, nul + 1)
        i = nul + 21
      }
    } else if (o.type === 'commit' || o.type === 'tag') {
      // headers up to the first blank line: `tree`, `parent` (commits), `object` (tags)
      const end = c.indexOf('\n\n')
      const text = c.toString('latin1', 0, end < 0 ? c.length : end)
      for (const m of text.matchAll(/^(?:tree|parent|object) ([0-9a-f]{40})$/gm))
        this.#want(Buffer.from(m[1], 'hex'), 0)
    }
  }

  /**
   * Follows a tree whose entries are walked elsewhere (fsck's walk, see `TreeEntryVisitor`):
   * `entry` for each of them, `hold` for the tree. The same as `add` for a tree git can parse.
   */
  entry(content: Buffer, e: TreeEntryAt): void {
    // gitlinks (mode 160000) point into other repositories
    if (!(content[e.at] === 0x31 && content[e.at + 1] === 0x36)) this.#want(content, e.nameEnd + 1)
  }

  /** Records that the pack holds `oid` (see `entry`). */
  hold(oid: string): void {
    this.#held.add(oid)
  }

  #want(buf: Buffer, at: number): void {
    const hi = ((buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]) >>> 0
    const lo = ((buf[at + 4] << 24) | (buf[at + 5] << 16) | (buf[at + 6] << 8) | buf[at + 7]) >>> 0
    if (hi === 0 && lo === 0) {
      if (!this.#zero) this.#wanted.push(buf.toString('hex', at, at + 20))
      this.#zero = true
      return
    }
    const table = this.#table
    const mask = table.length / 2 - 1
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask
    for (;;) {
      const h = table[slot * 2]
      const l = table[slot * 2 + 1]
      if (h === 0 && l === 0) break
      if (h === hi && l === lo) return
      slot = (slot + 1) & mask
    }
    table[slot * 2] = hi
    table[slot * 2 + 1] = lo
    this.#wanted.push(buf.toString('hex', at, at + 20))
    if (++this.#count * 2 > mask) this.#grow()
  }

  #grow(): void {
    const old = this.#table
    const table = new Uint32Array(old.length * 2)
    const mask = table.length / 2 - 1
    for (let s = 0; s < old.length / 2; s++) {
      const hi = old[s * 2]
      const lo = old[s * 2 + 1]
      if (hi === 0 && lo === 0) continue
      let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask
      while (table[slot * 2] !== 0 || table[slot * 2 + 1] !== 0) slot = (slot + 1) & mask
      table[slot * 2] = hi
      table[slot * 2 + 1] = lo
    }
    this.#table = table
  }

  /** Whether the pack holds `tips` and everything its objects point at (submodules aside). */
  holds(tips: readonly string[]): boolean {
    if (this.#malformed) return false
    for (const tip of tips) if (!this.#held.has(tip)) return false
    for (const id of this.#wanted) if (!this.#held.has(id)) return false
    return true
  }
}
