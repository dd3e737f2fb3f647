import { describe, expect, it } from 'vitest'
import { makeObject, type GitObject } from '../src/objects/git-object.ts'
import { entryType, serializeTree } from '../src/objects/tree.ts'
import { PackClosure } from '../src/pack/pack-closure.ts'

const blob = makeObject('blob', Buffer.from('hello\n'))
const submodule = 'c'.repeat(40)

function tree(entries: { mode: string; path: string; oid: string }[]): GitObject {
  const parsed = entries.map(({ mode, path, oid }) => ({
    mode,
    name: path,
    oid,
    type: entryType(mode),
  }))
  return makeObject('tree', serializeTree(parsed))
}

function commit(treeOid: string, parents: string[] = []): GitObject {
  const lines = [`tree ${treeOid}`, ...parents.map((p) => `parent ${p}`)]
  const who = 'A <a@example.com> 1700000000 +0000'
  return makeObject(
    'commit',
    Buffer.from(`${lines.join('\n')}\nauthor ${who}\ncommitter ${who}\n\nm\n`),
  )
}

function closureOf(objects: GitObject[]) {
  const closure = new PackClosure()
  for (const o of objects) closure.add(o)
  return closure
}

describe('PackClosure', () => {
  const root = tree([
    { mode: '100644', path: 'a.txt', oid: blob.oid },
    { mode: '160000', path: 'sub', oid: submodule },
  ])
  const first = commit(root.oid)

  it('holds a pack with every object its tips need, submodules aside, in any order', () => {
    expect(closureOf([first, root, blob]).holds([first.oid])).toBe(true)
    expect(closureOf([blob, root, first]).holds([first.oid])).toBe(true)
  })

  it('does not hold a pack missing a blob, a tree, a parent or the tip itself', () => {
    expect(closureOf([first, root]).holds([first.oid])).toBe(false)
    expect(closureOf([first, blob]).holds([first.oid])).toBe(false)
    const second = commit(root.oid, ['d'.repeat(40)])
    expect(closureOf([second, root, blob]).holds([second.oid])).toBe(false)
    expect(closureOf([root, blob]).holds([first.oid])).toBe(false)
  })

  it('keeps track of thousands of ids as its table grows', () => {
    const blobs = Array.from({ length: 5000 }, (_, n) => makeObject('blob', Buffer.from(`${n}\n`)))
    const big = tree(blobs.map((b, n) => ({ mode: '100644', path: `f${n}`, oid: b.oid })))
    const top = commit(big.oid)
    expect(closureOf([top, big, ...blobs]).holds([top.oid])).toBe(true)
    expect(closureOf([top, big, ...blobs.slice(1)]).holds([top.oid])).toBe(false)
    expect(closureOf([top, big, ...blobs.slice(0, -1)]).holds([top.oid])).toBe(false)
  })
})
