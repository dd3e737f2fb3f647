import { describe, expect, it } from 'vitest'
import { deletionOrder, type DoomedObject } from '../src/maintenance/deletion-order.ts'
import { mulberry32 } from '../../../test/support/mulberry32.ts'

const id = (kind: string, i: number) => `${kind}${String(i).padStart(4, '0')}`.padEnd(40, '0')

/** Commits in a chain, each with a tree holding subtrees and blobs, blobs stored as deltas. */
function history(seed: number): DoomedObject[] {
  const random = mulberry32(seed)
  const out: DoomedObject[] = []
  const blobs = Array.from({ length: 40 }, (_, i) => id('b', i))
  blobs.forEach((oid, i) => {
    const base = i > 0 && random() < 0.6 ? blobs[Math.floor(random() * i)] : null
    out.push({ oid, type: 'blob', holds: [], base })
  })
  const trees = Array.from({ length: 20 }, (_, i) => id('d', i))
  trees.forEach((oid, i) => {
    const subtrees = trees.slice(i + 1).filter(() => random() < 0.1)
    const held = blobs.filter(() => random() < 0.2)
    out.push({ oid, type: 'tree', holds: [...subtrees, ...held], base: null })
  })
  for (let i = 0; i < 10; i++) {
    const holds = [trees[Math.floor(random() * trees.length)], ...(i > 0 ? [id('c', i - 1)] : [])]
    out.push({ oid: id('c', i), type: 'commit', holds, base: null })
  }
  out.push({ oid: id('t', 0), type: 'tag', holds: [id('c', 3)], base: null })
  // shuffled: the order must not depend on the input's
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

describe('deletionOrder', () => {
  it('removes every object after everything that names it or is a delta of it', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const objects = history(seed)
      const order = deletionOrder(objects)
      expect([...order].sort()).toEqual(objects.map((o) => o.oid).sort())
      const at = new Map(order.map((oid, i) => [oid, i]))
      for (const o of objects) {
        for (const held of [...o.holds, ...(o.base ? [o.base] : [])])
          expect(at.get(o.oid)!).toBeLessThan(at.get(held)!)
      }
      // tags and commits first, blobs last
      expect(order[0]).toBe(id('t', 0))
      expect(objects.find((o) => o.oid === order.at(-1))!.type).toBe('blob')
    }
  })

  it('breaks a cycle of a tree stored as a delta of a tree it holds', () => {
    const order = deletionOrder([
      { oid: id('d', 1), type: 'tree', holds: [id('d', 2)], base: null },
      { oid: id('d', 2), type: 'tree', holds: [], base: id('d', 1) },
      { oid: id('c', 1), type: 'commit', holds: [id('d', 1)], base: null },
    ])
    expect(order[0]).toBe(id('c', 1))
    expect([...order].sort()).toEqual([id('c', 1), id('d', 1), id('d', 2)].sort())
  })
})
