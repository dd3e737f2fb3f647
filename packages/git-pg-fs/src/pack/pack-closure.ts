import type { GitObject } from '../objects/git-object.ts'

/**
 * Follows, while a pack is read, which objects it holds and which ids its objects point at, so
 * that an import can tell that the pack alone holds the whole history of its tips (git's
 * `index-pack --check-self-contained-and-connected`) and skip walking that history in the
 * database. A tree names the same ids over and over (a commit's tree shares most entries with its
 * parent's), so an id pointed at is recognised by its first 53 bits, read straight from the
 * tree's bytes, and kept whole only the first time: no string is made per tree entry. An id that
 * shares those 53 bits with one seen before is not checked on its own; making one to order takes
 * about 2^53 hashes, and all it could do is point a ref of the pusher's own project at an object
 * the pack lacks.
 *
 * @example
 * const closure = new PackClosure()
 * for (const o of objects) closure.add(o)
 * if (!closure.holds(tips)) await checkConnected({ store, repoId, tips })
 */
export class PackClosure {
  readonly #held = new Set<string>()
  readonly #seen = new Set<number>()
  readonly #wanted: string[] = []
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
    const key = buf.readUInt32BE(at) * 0x200000 + (buf.readUInt32BE(at + 4) >>> 11)
    if (this.#seen.has(key)) return
    this.#seen.add(key)
    this.#wanted.push(buf.toString('hex', at, at + 20))
  }

  /** Whether the pack holds `tips` and everything its objects point at (submodules aside). */
  holds(tips: readonly string[]): boolean {
    if (this.#malformed) return false
    for (const tip of tips) if (!this.#held.has(tip)) return false
    for (const id of this.#wanted) if (!this.#held.has(id)) return false
    return true
  }
}
