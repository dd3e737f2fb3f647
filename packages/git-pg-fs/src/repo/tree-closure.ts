import type { GitObject } from '../objects/git-object.ts'
import type { GitStore } from '../store/git-store.ts'
import { OidSet } from './oid-set.ts'

export interface TreeItem {
  oid: string
  /** the trees at the same path in the commit's parents that the client has */
  bases: string[]
  /** the tree at the same path in the first parent: a good delta base */
  hint?: string
}

const READ_BATCH = 2000
const SLASH = 0x2f

/** Walks the entries of a raw tree in order; fields describe the current entry. */
class TreeCursor {
  readonly buf: Buffer
  #pos = 0
  nameStart = 0
  nameEnd = 0
  oidAt = 0
  tree = false
  gitlink = false
  done = false

  constructor(buf: Buffer) {
    this.buf = buf
    this.next()
  }

  next(): void {
    const buf = this.buf
    const i = this.#pos
    if (i >= buf.length) {
      this.done = true
      return
    }
    const space = buf.indexOf(0x20, i)
    const nul = buf.indexOf(0, space)
    if (space < 0 || nul < 0 || nul + 21 > buf.length) throw new Error('malformed tree')
    this.tree = buf[i] === 0x34 // "40000"
    this.gitlink = space - i === 6 && buf[i] === 0x31 && buf[i + 1] === 0x36 // "160000"
    this.nameStart = space + 1
    this.nameEnd = nul
    this.oidAt = nul + 1
    this.#pos = nul + 21
  }

  /** git's tree order of this entry against `other`'s (a tree sorts as if its name ended in /). */
  compare(other: TreeCursor): number {
    const a = this.buf
    const b = other.buf
    const la = this.nameEnd - this.nameStart
    const lb = other.nameEnd - other.nameStart
    const n = la < lb ? la : lb
    // short names: a byte loop beats a native compare call
    for (let k = 0; k < n; k++) {
      const d = a[this.nameStart + k] - b[other.nameStart + k]
      if (d !== 0) return d
    }
    const ca = la > n ? a[this.nameStart + n] : this.tree ? SLASH : 0
    const cb = lb > n ? b[other.nameStart + n] : other.tree ? SLASH : 0
    return ca - cb
  }

  /** Moves to the entry with `target`'s name and kind, if there is one; false otherwise. */
  seek(target: TreeCursor): boolean {
    while (!this.done && this.compare(target) < 0) this.next()
    return !this.done && this.compare(target) === 0
  }

  sameOid(other: TreeCursor): boolean {
    for (let k = 0; k < 20; k++)
      if (this.buf[this.oidAt + k] !== other.buf[other.oidAt + k]) return false
    return true
  }

  oid(): string {
    return this.buf.toString('hex', this.oidAt, this.oidAt + 20)
  }
}

/**
 * Adds each tree of `items` and everything under it that is neither sent already nor on the client
 * to `out`, each distinct tree read once. An item's bases are trees the client has (from commits
 * it has) at the same path: an entry equal to a base entry is the client's, and is remembered as
 * such so other commits skip it too. Only the client's own commits justify a skip, so nothing is
 * left out on the strength of another commit's listing (which could be circular through shared
 * trees). Along the way each sent object whose path held another version in the first parent gets
 * that version as a delta base in `deltaBases`. Entries are compared as raw bytes, merge-walking
 * each tree against its bases and hint, so the millions of unchanged entries of a large history
 * cost no allocation.
 */
export async function addTreeClosure({
  store,
  repoId,
  items,
  out,
  deltaBases,
  onTree,
}: {
  store: GitStore
  repoId: number
  items: TreeItem[]
  out: Set<string>
  deltaBases: Map<string, string>
  /** each tree to send, with its content and its hint's, while they are at hand */
  onTree?: (tree: GitObject, hint: GitObject | undefined) => void
}): Promise<void> {
  // every tree or blob sent, queued to be sent, or known to be the client's
  const seen = new OidSet()
  let level: TreeItem[] = []
  for (const t of items) {
    if (t.bases.includes(t.oid)) seen.add(t.oid)
    else if (seen.add(t.oid)) level.push(t)
  }
  while (level.length > 0) {
    for (const t of level) {
      out.add(t.oid)
      if (t.hint && t.hint !== t.oid) deltaBases.set(t.oid, t.hint)
    }
    const next: TreeItem[] = []
    for (let i = 0; i < level.length; i += READ_BATCH) {
      const slice = level.slice(i, i + READ_BATCH)
      const wanted = new Set<string>()
      for (const t of slice) {
        wanted.add(t.oid)
        for (const b of t.bases) wanted.add(b)
        if (t.hint) wanted.add(t.hint)
      }
      const objects = await store.readObjects(repoId, [...wanted])
      const cursor = (oid: string) => {
        const o = objects.get(oid)
        if (!o || o.type !== 'tree') throw new Error(`tree ${oid} is missing from the repository`)
        return new TreeCursor(o.content)
      }
      for (const t of slice) {
        onTree?.(objects.get(t.oid)!, t.hint ? objects.get(t.hint) : undefined)
        const bases = t.bases.map(cursor)
        const hint = t.hint ? cursor(t.hint) : null
        for (const e = cursor(t.oid); !e.done; e.next()) {
          if (e.gitlink || seen.hasRaw(e.buf, e.oidAt)) continue
          const treeBases: string[] = []
          let owned = false
          for (const b of bases) {
            if (!b.seek(e)) continue
            if (b.sameOid(e)) owned = true
            else if (b.tree) treeBases.push(b.oid())
          }
          seen.addRaw(e.buf, e.oidAt)
          if (owned) continue
          const oid = e.oid()
          const base = hint && hint.seek(e) && !hint.sameOid(e) ? hint.oid() : undefined
          if (e.tree) {
            next.push({ oid, bases: treeBases, hint: base })
          } else {
            out.add(oid)
            if (base) deltaBases.set(oid, base)
          }
        }
      }
    }
    level = next
  }
}
