import type { GitObject } from '../objects/git-object.ts'

/**
 * Follows, while a pack is read, which objects it holds and which ids its objects point at, so
 * that an import can tell that the pack alone holds the whole history of its tips (git's
 * `index-pack --check-self-contained-and-connected`) and skip walking that history in the
 * database. A tree names the same ids over and over (a commit's tree shares most entries with its
 * parent's), so each id pointed at is kept once, as 20 bytes in one growing buffer, found by its
 * first 48 bits and compared whole: no string is made per tree entry.
 *
 * @example
 * const closure = new PackClosure()
 * for (const o of objects) closure.add(o)
 * if (!closure.holds(tips)) await checkConnected({ store, repoId, tips })
 */
export class PackClosure {
  readonly #held = new Set<string>()
  /** first 48 bits of an id pointed at → its slot in `#ids` */
  readonly #slots = new Map<number, number>()
  #ids = Buffer.alloc(20 * 4096)
  #count = 0
  /** ids pointed at whose first 48 bits another id has already */
  readonly #others = new Set<string>()
  #malformed = false

  add(o: GitObject): void {
    this.#held.add(o.oid)
    const c = o.content
    if (o.type === 'tree') {
      let i = 0
      while (i < c.length) {
        const space = c.indexOf(0x20, i)
        const nul = c.indexOf(0, space + 1)
        if (space < 0 || nul < 0 || nul + 21 > c.length) {
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

  #want(buf: Buffer, at: number): void {
    const key = buf.readUIntBE(at, 6)
    const slot = this.#slots.get(key)
    if (slot === undefined) {
      if ((this.#count + 1) * 20 > this.#ids.length) {
        const grown = Buffer.alloc(this.#ids.length * 2)
        this.#ids.copy(grown)
        this.#ids = grown
      }
      buf.copy(this.#ids, this.#count * 20, at, at + 20)
      this.#slots.set(key, this.#count++)
    } else if (buf.compare(this.#ids, slot * 20, slot * 20 + 20, at, at + 20) !== 0) {
      this.#others.add(buf.toString('hex', at, at + 20))
    }
  }

  /** Whether the pack holds `tips` and everything its objects point at (submodules aside). */
  holds(tips: readonly string[]): boolean {
    if (this.#malformed) return false
    for (const tip of tips) if (!this.#held.has(tip)) return false
    for (let s = 0; s < this.#count; s++)
      if (!this.#held.has(this.#ids.toString('hex', s * 20, s * 20 + 20))) return false
    for (const id of this.#others) if (!this.#held.has(id)) return false
    return true
  }
}
