import type { ObjectType } from '../objects/git-object.ts'

/** An object to remove, with what it points at among the others. */
export interface DoomedObject {
  oid: string
  type: ObjectType
  /** objects it names: a commit's tree and parents, a tag's target, a tree's entries */
  holds: readonly string[]
  /** its delta base, if stored as a delta */
  base: string | null
}

const RANK: Record<ObjectType, number> = { tag: 0, commit: 1, tree: 2, blob: 3 }

/**
 * The order to remove `objects` in so that, at every point, whatever of them is still stored
 * has everything it names (and its delta base) still stored: referrers first (tags, then
 * commits, children before parents, then trees top-down, then blobs), a delta before its base.
 * A cycle (a tree stored as a delta of a tree it holds) is broken where it is met: the delta is
 * stored again whole before its base goes.
 *
 * @example
 * const order = deletionOrder([{ oid: c, type: 'commit', holds: [tree], base: null }, ...])
 */
export function deletionOrder(objects: readonly DoomedObject[]): string[] {
  const index = new Map(objects.map((o, i) => [o.oid, i]))
  const waiting = new Int32Array(objects.length)
  const after: number[][] = objects.map(() => [])
  for (const [i, o] of objects.entries()) {
    const held = new Set(o.holds)
    if (o.base) held.add(o.base)
    for (const oid of held) {
      const j = index.get(oid)
      if (j === undefined || j === i) continue
      after[i].push(j)
      waiting[j]++
    }
  }
  const ready: number[][] = [[], [], [], []]
  for (let i = 0; i < objects.length; i++)
    if (waiting[i] === 0) ready[RANK[objects[i].type]].push(i)
  const done = new Uint8Array(objects.length)
  const out: string[] = []
  let forced = 0
  while (out.length < objects.length) {
    let i = -1
    for (const bucket of ready) {
      while (bucket.length > 0 && done[bucket[bucket.length - 1]]) bucket.pop()
      if (bucket.length > 0) {
        i = bucket.pop()!
        break
      }
    }
    if (i < 0) {
      // only cycles are left: the first object not out yet, in rank order, goes
      while (done[forced]) forced++
      i = forced
    }
    done[i] = 1
    out.push(objects[i].oid)
    for (const j of after[i]) {
      if (--waiting[j] === 0 && !done[j]) ready[RANK[objects[j].type]].push(j)
    }
  }
  return out
}
